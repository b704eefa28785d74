"""The therapist's workbench: patients, programs with their doses, templates, sessions."""

from programs.admin import outbox, outcomes, patients, programs, records

__all__ = ["outbox", "outcomes", "patients", "programs", "records"]
