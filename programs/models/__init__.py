from programs.models.logs import ExerciseSession, SetLog
from programs.models.outcomes import OutcomeMeasure, OutcomeRequest
from programs.models.people import Patient, SigninLink
from programs.models.prescription import Prescription
from programs.models.program import (
    DEFAULT_PAIN_CEILING,
    NERVE_GLIDE_PAIN_CEILING,
    PlannedItem,
    PlannedSession,
    Program,
)
from programs.models.reminders import CalendarFeed, OutboxEmail, ReminderSettings, SchedulerTick
from programs.models.reviews import SignalReview

__all__ = [
    "DEFAULT_PAIN_CEILING",
    "NERVE_GLIDE_PAIN_CEILING",
    "CalendarFeed",
    "ExerciseSession",
    "OutboxEmail",
    "OutcomeMeasure",
    "OutcomeRequest",
    "Patient",
    "PlannedItem",
    "PlannedSession",
    "Prescription",
    "Program",
    "ReminderSettings",
    "SchedulerTick",
    "SetLog",
    "SignalReview",
    "SigninLink",
]
