"""Outcome measures (LEFS, PSFS, knee-extension and leg-raise angles) and requests to fill one in."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from programs import outcomes
from programs.models.people import Patient


def _degrees(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": outcomes.ANGLE_MAX})


class OutcomeMeasure(models.Model):
    """One measure on one day: a questionnaire's answers and score, or an angle per leg."""

    class Kind(models.TextChoices):
        LEFS = outcomes.LEFS, "LEFS (Lower Extremity Functional Scale, 0-80)"
        PSFS = outcomes.PSFS, "PSFS (Patient-Specific Functional Scale, 0-10)"
        AKE = outcomes.AKE, "Active knee extension (degrees short of straight)"
        SLR = outcomes.SLR, "Straight-leg raise (degrees of hip flexion)"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="outcome_measures")
    kind = models.CharField(max_length=4, choices=Kind)
    date = models.DateField(default=timezone.localdate, help_text="The day it was measured.")
    answers = models.JSONField(
        default=list,
        blank=True,
        help_text="LEFS only: the 20 answers in Binkley's order, each 0-4, e.g. [4, 3, 4, …].",
    )
    activities = models.JSONField(
        default=list,
        blank=True,
        help_text='PSFS only: 1-5 activities, each rated 0-10, e.g. [{"activity": "Running for '
        'the bus", "score": 6}].',
    )
    score = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
        help_text="LEFS total (0-80) or PSFS mean (0-10), worked out from the answers on save.",
    )
    left_degrees = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="AKE: degrees still short of a straight knee, e.g. 25 (0 = straight). "
        "SLR: hip flexion with the knee straight, e.g. 70.",
    )
    right_degrees = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="As for the left leg."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The therapist who measured it, or the patient who filled it in.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[outcomes.LEFS, outcomes.PSFS, outcomes.AKE, outcomes.SLR]),
                name="programs_outcome_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=outcomes.LEFS)
                | Q(score__isnull=False, score__gte=0, score__lte=outcomes.LEFS_MAX),
                name="programs_outcome_lefs_score_0_80",
            ),
            models.CheckConstraint(
                condition=~Q(kind=outcomes.PSFS)
                | Q(score__isnull=False, score__gte=0, score__lte=outcomes.PSFS_ITEM_MAX),
                name="programs_outcome_psfs_score_0_10",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=outcomes.QUESTIONNAIRES) | Q(score__isnull=True),
                name="programs_outcome_score_only_for_questionnaires",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=outcomes.ANGLES)
                | Q(left_degrees__isnull=True, right_degrees__isnull=True),
                name="programs_outcome_degrees_only_for_angles",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=outcomes.ANGLES)
                | Q(left_degrees__isnull=False)
                | Q(right_degrees__isnull=False),
                name="programs_outcome_angle_has_a_leg",
            ),
            models.CheckConstraint(
                condition=_degrees("left_degrees") & _degrees("right_degrees"),
                name="programs_outcome_degrees_0_180",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.patient} on {self.date}"

    def save(self, *args, **kwargs):
        self.score = self.worked_out_score()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "score"}
        super().save(*args, **kwargs)

    @property
    def score_text(self):
        return outcomes.score_text(self.kind, self.score, self.left_degrees, self.right_degrees)

    def worked_out_score(self):
        """The LEFS total or PSFS mean from the answers; None when they don't add up (the
        database constraints then refuse the row)."""
        try:
            if self.kind == self.Kind.LEFS:
                return outcomes.lefs_total(self.answers)
            if self.kind == self.Kind.PSFS:
                return outcomes.psfs_score([a["score"] for a in self.activities])
        except (ValueError, TypeError, KeyError):
            return None
        return None

    def clean(self):
        # Answers and activities are entered through form fields of their own (one per item),
        # so their errors are the form's, not a field's.
        problems = []
        if self.kind == self.Kind.LEFS:
            problem = outcomes.lefs_problem(self.answers)
            if problem:
                problems.append(ValidationError(problem, code="lefs_answers"))
        elif self.answers:
            problems.append(ValidationError("Only LEFS has answers.", code="not_lefs"))
        if self.kind == self.Kind.PSFS:
            error = _psfs_error(self.activities)
            if error:
                problems.append(ValidationError(error, code="psfs_activities"))
        elif self.activities:
            problems.append(ValidationError("Only PSFS has activities.", code="not_psfs"))
        errors = self._angle_errors()
        if problems:
            errors[NON_FIELD_ERRORS] = problems
        if errors:
            raise ValidationError(errors)

    def _angle_errors(self):
        errors = {}
        legs = {"left_degrees": self.left_degrees, "right_degrees": self.right_degrees}
        if self.kind in outcomes.ANGLES:
            if all(v is None for v in legs.values()):
                errors["left_degrees"] = ValidationError(
                    "Give the angle for at least one leg.", code="angle_required"
                )
            for name, value in legs.items():
                if value is not None and not 0 <= value <= outcomes.ANGLE_MAX:
                    errors[name] = ValidationError(
                        f"An angle is from 0 to {outcomes.ANGLE_MAX} degrees.", code="angle_range"
                    )
        else:
            for name, value in legs.items():
                if value is not None:
                    errors[name] = ValidationError(
                        "Angles belong to AKE and SLR only.", code="angle_not_allowed"
                    )
        return errors


def _psfs_error(activities):
    """Why a PSFS list of {"activity", "score"} is not valid, or None."""
    if not isinstance(activities, list) or not 1 <= len(activities) <= 5:
        return "PSFS rates from 1 to 5 activities."
    for item in activities:
        if not isinstance(item, dict) or set(item) != {"activity", "score"}:
            return 'Each PSFS activity is {"activity": text, "score": 0-10}.'
        if not isinstance(item["activity"], str) or not item["activity"].strip():
            return "Each PSFS activity needs a name."
        if item["score"] is None:
            return "Each PSFS activity needs its 0-10 rating."
        if type(item["score"]) is not int or not 0 <= item["score"] <= 10:
            return "Each PSFS rating is a whole number from 0 to 10."
    return None


class OutcomeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answered_at__isnull=True)

    def for_user(self, user):
        return self.filter(patient__user=user)


class OutcomeRequest(models.Model):
    """The therapist asks the patient to fill in a questionnaire on their phone."""

    class Kind(models.TextChoices):
        LEFS = outcomes.LEFS, "LEFS (Lower Extremity Functional Scale)"
        PSFS = outcomes.PSFS, "PSFS (Patient-Specific Functional Scale)"

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="outcome_requests")
    kind = models.CharField(max_length=4, choices=Kind, default=Kind.LEFS)
    activities = models.JSONField(
        default=list,
        blank=True,
        help_text="PSFS only: the activities to rate, e.g. Running for the bus. Left empty, the "
        "patient's last PSFS activities are used, or the patient names up to 5.",
    )
    message = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown to the patient, e.g. Please fill this in before Thursday's visit.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    measure = models.OneToOneField(
        OutcomeMeasure,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="request",
    )

    objects = OutcomeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "questionnaire request"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=outcomes.QUESTIONNAIRES),
                name="programs_outcomerequest_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(measure__isnull=True) | Q(answered_at__isnull=False),
                name="programs_outcomerequest_measure_when_answered",
            ),
            models.UniqueConstraint(
                fields=["patient", "kind"],
                condition=Q(answered_at__isnull=True),
                name="programs_outcomerequest_one_pending_per_kind",
                violation_error_message="This patient already has this form waiting.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.patient} ({self.status_text})"

    def get_absolute_url(self):
        return f"/outcomes/{self.pk}/"

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def status_text(self):
        if self.answered_at is None:
            return "waiting"
        return f"answered {timezone.localdate(self.answered_at):%d %b %Y}"

    @property
    def patient_title(self):
        if self.kind == self.Kind.LEFS:
            return gettext("Everyday activities: 20 questions, about 5 minutes")
        return gettext("Activities that matter to you: about 3 minutes")

    def clean(self):
        waiting = OutcomeRequest.objects.pending().filter(
            patient_id=self.patient_id, kind=self.kind
        )
        if self.answered_at is None and waiting.exclude(pk=self.pk).exists():
            raise ValidationError("This patient already has this form waiting.", code="waiting")
        if self.kind != self.Kind.PSFS and self.activities:
            raise ValidationError({"activities": "Only PSFS names activities."}, code="not_psfs")
        if (
            not isinstance(self.activities, list)
            or len(self.activities) > 5
            or not all(isinstance(a, str) and a.strip() for a in self.activities)
        ):
            raise ValidationError(
                {"activities": "Name up to 5 activities, each in words."}, code="psfs_activities"
            )

    def answer(self, user, *, answers=(), activities=(), now=None):
        """Store the answers as this request's measure, once; None if it was already answered.

        Claiming the row with a conditional UPDATE makes a repeated or concurrent POST a no-op.
        """
        now = now or timezone.now()
        with transaction.atomic():
            claimed = OutcomeRequest.objects.filter(pk=self.pk, answered_at__isnull=True).update(
                answered_at=now
            )
            if not claimed:
                return None
            measure = OutcomeMeasure(
                patient_id=self.patient_id,
                kind=self.kind,
                date=timezone.localdate(now),
                answers=list(answers),
                activities=list(activities),
                recorded_by=user,
                created=now,
            )
            measure.clean()
            measure.save()
            OutcomeRequest.objects.filter(pk=self.pk).update(measure=measure)
        self.answered_at, self.measure = now, measure
        return measure
