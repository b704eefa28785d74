from programs.models.logs import ExerciseSession, SetLog
from programs.models.people import Patient, SigninLink
from programs.models.plans import (
    DEFAULT_PAIN_CEILING,
    NERVE_GLIDE_PAIN_CEILING,
    WEEKDAY_NAMES,
    PlannedItem,
    PlannedSession,
    Prescription,
    Program,
    week_span_text,
)

__all__ = [
    "DEFAULT_PAIN_CEILING",
    "NERVE_GLIDE_PAIN_CEILING",
    "WEEKDAY_NAMES",
    "ExerciseSession",
    "Patient",
    "PlannedItem",
    "PlannedSession",
    "Prescription",
    "Program",
    "SetLog",
    "SigninLink",
    "week_span_text",
]
