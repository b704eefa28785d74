"""The therapist's workbench: patients, programs with their doses, templates, sessions."""

from programs.admin import outcomes, patients, programs, records

__all__ = ["outcomes", "patients", "programs", "records"]
