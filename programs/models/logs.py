"""What patients did: sessions and their sets, with the targets frozen."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from creekside.dosing import format_target
from exercises.models import Exercise
from programs.models.prescription import Prescription
from programs.models.program import DEFAULT_PAIN_CEILING, Program, pain_range


class ExerciseSession(models.Model):
    """One performed session: a planned (date, slot) the patient started."""

    # Logs outlive plan edits and deletions: a plan with sessions can't be deleted.
    program = models.ForeignKey(Program, models.PROTECT, related_name="sessions")
    date = models.DateField()
    slot = models.PositiveSmallIntegerField(default=1)
    week = models.PositiveSmallIntegerField()
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    next_morning_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    next_morning_at = models.DateTimeField(null=True, blank=True)
    # The phone's id for "Finish" (static/js/session-offline.js): a replay is applied once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "date", "slot"], name="programs_session_unique_slot"
            ),
            models.UniqueConstraint(fields=["client_id"], name="programs_session_unique_client_id"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="programs_session_slot_positive"),
            models.CheckConstraint(condition=Q(week__gte=1), name="programs_session_week_positive"),
            models.CheckConstraint(
                condition=pain_range("pain_during"), name="programs_session_pain_0_10"
            ),
            models.CheckConstraint(
                condition=pain_range("effort"), name="programs_session_effort_0_10"
            ),
            models.CheckConstraint(
                condition=pain_range("next_morning_pain"), name="programs_session_morning_pain_0_10"
            ),
            models.CheckConstraint(
                condition=Q(finished__isnull=True) | Q(finished__gte=F("started")),
                name="programs_session_finished_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.program.patient} · {self.date} #{self.slot}"

    def get_absolute_url(self):
        return f"/sessions/{self.pk}/"

    @property
    def is_finished(self):
        return self.finished is not None


class SetLog(models.Model):
    """One set of a session: the target frozen at the start, and what the patient did."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To do")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")
        STOPPED = "stopped", _("Stopped: it hurt")

    session = models.ForeignKey(ExerciseSession, models.CASCADE, related_name="set_logs")
    position = models.PositiveSmallIntegerField()
    prescription = models.ForeignKey(
        Prescription, models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    exercise = models.ForeignKey(Exercise, models.PROTECT, related_name="logs")
    set_number = models.PositiveSmallIntegerField()
    sets_total = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=5, choices=Prescription.Side, default="both")
    target_reps_low = models.PositiveSmallIntegerField(null=True, blank=True)
    target_reps_high = models.PositiveSmallIntegerField(null=True, blank=True)
    target_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    target_tempo = models.CharField(max_length=20, blank=True)
    target_load = models.CharField(max_length=80, blank=True)
    target_effort = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_ceiling = models.PositiveSmallIntegerField(default=DEFAULT_PAIN_CEILING)
    rest_seconds = models.PositiveSmallIntegerField(default=60)
    dose_text = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    reps_done = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds_done = models.PositiveSmallIntegerField(null=True, blank=True)
    load_used = models.CharField(max_length=80, blank=True)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    skip_reason = models.CharField(max_length=200, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    # The phone's id for the Done, skip or stop that logged this set: a replay is applied once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="programs_setlog_unique_position"
            ),
            models.UniqueConstraint(fields=["client_id"], name="programs_setlog_unique_client_id"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "skipped", "stopped"]),
                name="programs_setlog_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(set_number__gte=1, set_number__lte=F("sets_total")),
                name="programs_setlog_set_number_in_range",
            ),
            models.CheckConstraint(condition=pain_range("pain"), name="programs_setlog_pain_0_10"),
            models.CheckConstraint(
                condition=Q(target_reps_low__isnull=True)
                | Q(target_reps_low__gte=1, target_reps_high__gte=F("target_reps_low")),
                name="programs_setlog_target_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(reps_done__isnull=False)
                | Q(seconds_done__isnull=False),
                name="programs_setlog_done_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | Q(pain__isnull=False),
                name="programs_setlog_stopped_has_pain",
            ),
            models.CheckConstraint(
                condition=Q(pain_ceiling__lte=10), name="programs_setlog_ceiling_0_10"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(logged_at__isnull=False),
                name="programs_setlog_logged_when_not_pending",
            ),
            models.CheckConstraint(
                condition=Q(reps_done__isnull=True) | Q(reps_done__lte=500),
                name="programs_setlog_reps_done_range",
            ),
            models.CheckConstraint(
                condition=Q(seconds_done__isnull=True) | Q(seconds_done__lte=3600),
                name="programs_setlog_seconds_done_range",
            ),
        ]

    def __str__(self):
        return f"{self.exercise} set {self.set_number}/{self.sets_total} ({self.status})"

    @property
    def target_reps_text(self):
        if self.target_reps_low is None:
            return ""
        return format_target(self.target_reps_low, self.target_reps_high)

    @property
    def is_hold(self):
        return self.target_reps_low is None

    @property
    def result_text(self):
        """What was done, target in brackets: 'L 9 (10)', '10 s (10)', 'skipped'."""
        # Translators: L and R mark the left and right leg in a patient's history of sets.
        side = {"left": gettext("L "), "right": gettext("R ")}.get(self.side, "")
        if self.status == self.Status.DONE:
            if self.is_hold:
                return f"{side}{self.seconds_done} s ({self.target_seconds})"
            return f"{side}{self.reps_done} ({self.target_reps_text})"
        if self.status == self.Status.STOPPED:
            return side + gettext("stopped, pain %(pain)s") % {"pain": self.pain}
        return f"{side}{self.get_status_display().lower()}"
