"""Between visits: the patient's reminder choices, the email outbox and the calendar feed."""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from programs.models.people import Patient

DEFAULT_REMINDER_TIME = datetime.time(9, 0)


class ReminderSettings(models.Model):
    """What the patient chose on their reminders page; only they can switch reminders on."""

    patient = models.OneToOneField(Patient, models.CASCADE, related_name="reminder_settings")
    enabled = models.BooleanField(default=False)
    by_email = models.BooleanField(default=True)
    time_of_day = models.TimeField(
        default=DEFAULT_REMINDER_TIME, help_text="In the patient's time zone, e.g. 18:30."
    )
    session_days_only = models.BooleanField(
        default=True, help_text="Only on the days the plan sets out, not on any day allowed."
    )
    missed_yesterday = models.BooleanField(
        default=False, help_text="A gentle note the day after a planned session didn't happen."
    )
    # When the patient last saved: a reminder is only due at a time after it (no surprise
    # email for a time that had already passed when they chose it).
    changed = models.DateTimeField(default=timezone.now)
    unsubscribed = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "reminder settings"
        verbose_name_plural = "reminder settings"
        ordering = ["patient"]

    def __str__(self):
        return f"Reminders for {self.patient}: {self.summary}"

    @property
    def is_on(self):
        return self.enabled and self.by_email

    @property
    def summary(self):
        """The patient's choice, for the therapist's page."""
        if not self.is_on:
            off = "Off"
            if self.unsubscribed:
                off += f" (unsubscribed from an email on {self.unsubscribed:%-d %b %Y})"
            return off
        days = "on session days" if self.session_days_only else "on any day a session is open"
        missed = ", and a note the day after a missed session" if self.missed_yesterday else ""
        return f"By email at {self.time_of_day:%H:%M} ({self.patient.time_zone}), {days}{missed}"

    def turn_off(self, now=None):
        """Unsubscribe: no reminder emails until the patient turns them on again."""
        self.enabled = False
        self.unsubscribed = self.changed = now or timezone.now()
        self.save(update_fields=["enabled", "unsubscribed", "changed"])


class OutboxEmail(models.Model):
    """One email the app sends, once: its key is unique, and sent is set once, row locked."""

    class Kind(models.TextChoices):
        SIGNIN = "signin", "Sign-in link"
        NOTICE = "notice", "Security notice"
        REMINDER = "reminder", "Session reminder"
        MISSED = "missed", "Missed-session note"

    key = models.CharField(max_length=120, unique=True, help_text="e.g. reminder:12:2026-11-02")
    kind = models.CharField(max_length=10, choices=Kind)
    patient = models.ForeignKey(
        Patient, models.CASCADE, null=True, blank=True, related_name="emails"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    # The text is wiped once the email is sent or given up: a sign-in link's token is in it.
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)
    next_attempt = models.DateTimeField(default=timezone.now)
    stale_after = models.DateTimeField(
        null=True, blank=True, help_text="Not worth sending after this (a reminder's day)."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    failed = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "email"
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent__isnull=True) | Q(failed__isnull=True),
                name="programs_outboxemail_sent_or_failed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt"],
                condition=Q(sent__isnull=True, failed__isnull=True),
                name="programs_outbox_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to} ({self.status})"

    @property
    def status(self):
        if self.sent:
            return "sent"
        return "failed" if self.failed else "waiting"

    @classmethod
    def pending(cls):
        return cls.objects.filter(sent__isnull=True, failed__isnull=True)


class CalendarFeed(models.Model):
    """A patient's private calendar address: renewing it ends the old one.

    The address's token is an HMAC (under SECRET_KEY) of a random secret, so the page can show
    it again; the database keeps the secret and the token's hash, and neither opens the feed.
    """

    patient = models.OneToOneField(Patient, models.CASCADE, related_name="calendar_feed")
    secret = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "calendar feed"
        ordering = ["patient"]

    def __str__(self):
        return f"Calendar feed for {self.patient}"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def token(self):
        value = f"{self.patient_id}:{self.secret}"
        return salted_hmac("programs.calendar-feed", value, algorithm="sha256").hexdigest()

    def _new_secret(self):
        self.secret = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(self.token)

    @classmethod
    def for_patient(cls, patient):
        """The patient's feed, made on first use."""
        feed = cls.objects.filter(patient=patient).first()
        if feed is not None:
            return feed
        feed = cls(patient=patient, created=timezone.now())
        feed._new_secret()
        try:
            with transaction.atomic():
                feed.save()
        except IntegrityError:  # made at the same moment by another request
            return cls.objects.get(patient=patient)
        return feed

    def renew(self):
        """A new address; the old one answers 404 from now on."""
        self._new_secret()
        self.created = timezone.now()
        self.save(update_fields=["secret", "token_hash", "created"])

    @classmethod
    def find(cls, token):
        return (
            cls.objects.filter(token_hash=cls.hash_token(token)).select_related("patient").first()
        )


class SchedulerTick(models.Model):
    """The last minute a periodic task ran for: a second chain of the same task stops itself."""

    name = models.CharField(max_length=40, unique=True)
    minute = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.minute}"

    @classmethod
    def claim(cls, name, minute):
        """Whether this run owns minute: one compare-and-set update, safe across workers."""
        cls.objects.get_or_create(name=name)
        later = Q(minute__isnull=True) | Q(minute__lt=minute)
        return bool(cls.objects.filter(later, name=name).update(minute=minute))
