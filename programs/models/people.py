"""Patients and how they sign in."""

import datetime
import functools
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

CLINIC_LEADS = "Clinic leads"  # the group holding view_all_patients; such reads are audited


class PatientQuerySet(models.QuerySet):
    def cared_for_by(self, user):
        """Patients whose care team this user is on (their therapist or added to the team)."""
        return self.filter(Q(therapist=user) | Q(care_team=user)).distinct()

    def visible_to(self, user):
        """What this user may see: their care teams' patients; all for clinic leads; else none."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.has_perm("programs.view_all_patients"):  # superusers and clinic leads
            return self.all()
        if not user.has_perm("programs.view_patient"):
            return self.none()
        return self.filter(pk__in=Patient.objects.cared_for_by(user).values("pk"))


@functools.cache
def time_zone_names():
    return frozenset(zoneinfo.available_timezones())


def default_time_zone():
    return settings.TIME_ZONE


def validate_time_zone(value):
    if value not in time_zone_names():
        raise ValidationError(
            gettext("Choose a time zone such as Europe/London."), code="time_zone"
        )


class Patient(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
        help_text="Linked the first time the patient signs in.",
    )
    name = models.CharField(max_length=120, help_text="e.g. Alex Morgan")
    email = models.EmailField(unique=True, help_text="Where sign-in links are sent.")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="patients",
        limit_choices_to={"is_staff": True},
    )
    care_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="care_patients",
        limit_choices_to={"is_staff": True, "groups__name": "Therapists"},
        help_text="Other therapists who look after this patient; their therapist always does.",
    )
    notes = models.TextField(
        blank=True, help_text="Therapist-only notes; never shown to the patient."
    )
    language = models.CharField(
        max_length=5,
        choices=Language,
        default=Language.ENGLISH,
        help_text="The language of the patient's pages and emails, e.g. Español.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Where the patient lives, for reminder times, e.g. America/New_York.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("view_all_patients", "Can see every patient (clinic lead)")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, keeping the patient's sign-in (username = email) in step with their email."""
        self.email = self.email.strip().lower()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.user_id and self.user.username != self.email:
                self.user.username = self.user.email = self.email
                self.user.save(update_fields=["username", "email"])

    def clean(self):
        self.email = self.email.strip().lower()
        User = get_user_model()
        taken = User.objects.filter(username=self.email).exclude(pk=self.user_id)
        if self.user_id and taken.exists():
            raise ValidationError(
                {"email": "Another account already signs in with this email."}, code="email_taken"
            )

    @property
    def tzinfo(self):
        """The patient's time zone (the clinic's if the stored name is unknown)."""
        name = self.time_zone if self.time_zone in time_zone_names() else settings.TIME_ZONE
        return zoneinfo.ZoneInfo(name)

    def current_program(self):
        return self.programs.filter(status="active").order_by("-start_date").first()


class SigninLink(models.Model):
    """A single-use, expiring sign-in link for a patient; only the token's hash is stored."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="signin_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sign-in link"
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__gt=F("created")), name="programs_signinlink_expires_later"
            ),
        ]

    def __str__(self):
        return f"Sign-in link for {self.patient} (expires {self.expires:%Y-%m-%d})"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, patient, created_by=None):
        """Create a link and return (link, token); the token is never stored."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        link = cls.objects.create(
            patient=patient,
            token_hash=cls.hash_token(token),
            created=now,
            created_by=created_by,
            expires=now + datetime.timedelta(days=settings.SIGNIN_LINK_MAX_AGE_DAYS),
        )
        return link, token
