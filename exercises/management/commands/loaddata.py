"""loaddata with full model validation, clear messages, and fixture pictures copied into storage.

Django's own loaddata saves rows without validating them, so a fixture with a missing name or
an unknown kind would load quietly. This one checks every exercise-library object (exercises,
and protocol templates with their prescriptions) and writes nothing unless every one in every
fixture is valid. Everything else (a full-database dump: users, patients, their plans and
sessions) loads exactly as Django's own loaddata loads it, so a backup restores every row.

Exercises carry their patient text in English and Spanish (name_en, name_es, ...:
exercises/translation.py). In a library file (exercises and protocol templates only) each one
must have both, line for line. A file that holds anything else, a backup or a patient's record,
restores its exercises as they were, Spanish or not; so does --allow-untranslated.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.db import models, transaction
from django.utils import translation

from exercises.svg import svg_problem
from exercises.translation import PATIENT_TEXT_FIELDS, untranslated


class Problem:
    def __init__(self, fixture, index, key, field, message):
        self.fixture, self.index, self.key, self.field, self.message = (
            fixture,
            index,
            key,
            field,
            message,
        )

    def __str__(self):
        where = f"{Path(self.fixture).name}: object {self.index}"
        if self.key:
            where += f" ({self.key})"
        return f"{where}, field “{self.field}”: {self.message}"


class Command(loaddata.Command):
    help = "Validate and install fixtures; nothing is written unless every object is valid."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate everything, report the problems, and roll back.",
        )
        parser.add_argument(
            "--allow-untranslated",
            action="store_true",
            help="Accept exercises whose patient text is not in every language, e.g. a dump "
            "of exercises added in the admin in English only. Library files need both.",
        )

    def handle(self, *fixture_labels, **options):
        self.dry_run = options["dry_run"]
        self.allow_untranslated = options["allow_untranslated"]
        # A fixture's untranslated keys ("name", an older file's) are read as English, whatever
        # language the shell runs in.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            if not self.dry_run:
                return super().handle(*fixture_labels, **options)
            with transaction.atomic(using=options["database"]):
                super().handle(*fixture_labels, **options)
                transaction.set_rollback(True, using=options["database"])

    def loaddata(self, fixture_labels):
        self.problems = []
        self.seen_keys = {}
        self.labels_left = len(fixture_labels)
        super().loaddata(fixture_labels)
        self.refuse_if_problems()

    def refuse_if_problems(self):
        if self.problems and not self.dry_run:
            lines = "\n".join(f"  - {problem}" for problem in self.problems)
            raise CommandError(
                f"Nothing was loaded: {len(self.problems)} problem(s) in the fixture.\n{lines}"
            )

    def load_label(self, fixture_label):
        self.current_fixture = fixture_label
        self.current_index = 0
        # Text missing in a language: a problem once the file proves to be a library file.
        self.untranslated = []
        self.holds_records = False
        # Pictures are looked up beside the fixture file first, then in the fixture folders.
        self.file_dirs = [d for _, d, _ in self.find_fixtures(fixture_label)] + self.fixture_dirs
        super().load_label(fixture_label)
        if not (self.holds_records or self.allow_untranslated):
            self.problems.extend(self.untranslated)
        self.labels_left -= 1
        if not self.labels_left:  # before Django's "Installed 19 object(s)", which would mislead
            self.refuse_if_problems()

    def save_obj(self, obj):
        self.current_index += 1
        instance = obj.object
        if not _is_library(instance):
            self.holds_records = True
            return super().save_obj(obj)
        key = _describe(instance)
        problems = self.validate(instance, key)
        if problems:
            self.problems.extend(problems)
            return False
        return super().save_obj(obj)

    def validate(self, instance, key):
        def problem(field, message):
            return Problem(self.current_fixture, self.current_index, key, field, message)

        label = instance._meta.label
        identity = (label, key or f"pk={instance.pk}")
        if identity in self.seen_keys:
            return [
                problem(_key_field(instance), f"duplicate of object {self.seen_keys[identity]}")
            ]
        self.seen_keys[identity] = self.current_index

        found = []
        for field in instance._meta.concrete_fields:
            if isinstance(field, models.FileField):
                message = self.install_file(getattr(instance, field.attname))
                if message:
                    found.append(problem(field.name, message))
        # The patient text is checked in each language (name_en, name_es, ...), not through the
        # untranslated field, which only mirrors one of them.
        exclude = []
        if label == "exercises.Exercise":
            exclude.extend(PATIENT_TEXT_FIELDS)
            # Held, not found: the row itself is sound, and may be a backup's, restored as it was.
            self.untranslated.extend(problem(f, message) for f, message in untranslated(instance))
        # A natural key found in the database gives the row its pk: validate it as an update.
        instance._state.adding = instance.pk is None
        try:
            instance.full_clean(exclude=exclude + [p.field for p in found])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    found.append(problem(field, message))
        return found

    def install_file(self, fieldfile):
        """Copy a referenced file from the fixture folders into storage; describe any problem."""
        if not fieldfile:
            return None
        name = fieldfile.name
        source = next((Path(d) / name for d in self.file_dirs if (Path(d) / name).is_file()), None)
        if source is None and not default_storage.exists(name):
            return f"the file “{name}” was not found next to the fixture or in media storage"
        if name.lower().endswith(".svg"):
            if source is not None:
                data = source.read_bytes()
            else:
                with default_storage.open(name) as stored:
                    data = stored.read()
            problem = svg_problem(data)
            if problem:
                return f"the picture “{name}” {problem}; remove that from the file"
        if source is not None and not self.dry_run and not default_storage.exists(name):
            with source.open("rb") as handle:
                default_storage.save(name, File(handle))
        return None


def _is_library(instance):
    """Exercises and protocol templates: what clinic staff load (and check) from fixtures."""
    label = instance._meta.label
    if label == "exercises.Exercise":
        return True
    if label == "programs.Program":
        return instance.patient_id is None
    if label == "programs.Prescription":
        # A patient's plan's line is a record; one whose template failed is still checked.
        program = instance._meta.get_field("program").related_model
        return not program.objects.filter(pk=instance.program_id, patient__isnull=False).exists()
    return False


def _key_field(instance):
    return "slug" if hasattr(instance, "slug") else "pk"


def _describe(instance):
    if hasattr(instance, "natural_key"):
        try:
            return " ".join(str(part) for part in instance.natural_key())
        except Exception:
            return ""
    return f"pk={instance.pk}" if instance.pk is not None else ""
