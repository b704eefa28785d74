"""The therapist's workbench: patients, programs with their doses, templates, sessions."""

from programs.admin import patients, programs, records

__all__ = ["patients", "programs", "records"]
