"""A therapist's acknowledgement of a signal: it leaves the attention list, never the record."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from programs.models.logs import ExerciseSession
from programs.models.people import Patient


class SignalReview(models.Model):
    """Signals are computed from the logs (programs.insight); this row marks one as seen."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="signal_reviews")
    key = models.CharField(max_length=80, help_text="The signal's stable key, e.g. stop:412.")
    kind = models.CharField(max_length=20)
    day = models.DateField(help_text="The day the signal is about.")
    reason = models.CharField(max_length=300, help_text="The signal's reason, as it was shown.")
    session = models.ForeignKey(
        ExerciseSession, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="Optional, e.g. Called: pain settled by noon.")

    class Meta:
        ordering = ["-reviewed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "key"], name="programs_signalreview_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.patient}: {self.reason}"
