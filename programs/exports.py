"""A patient's whole record as JSON (loads back with loaddata) or as a zip of CSV tables.

JSON is Django's serializer format, so `manage.py loaddata record.json` restores the record into
an empty database and a new export of it compares equal. Rows with a complete natural key
(exercises by slug, users by username, protocol templates by slug) are written with it, so they
match rows that already exist; everything else keeps its primary key. Load a record into an empty
database only: loaded rows with a primary key replace rows that have the same one.
"""

import csv
import datetime
import io
import json
import zipfile
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone

from exercises.models import Exercise
from programs.models import (
    ExerciseSession,
    OutcomeMeasure,
    OutcomeRequest,
    Patient,
    Prescription,
    Program,
    SetLog,
    SignalReview,
)

FORMATS = ("json", "csv")


class Table(NamedTuple):
    """One table of the record: its rows are those whose `to_patient` lookup is the patient."""

    name: str  # the CSV file name, without .csv
    model: type[models.Model]
    to_patient: str
    related: tuple[str, ...] = ()  # loaded with the rows, so natural keys cost no more queries
    staff_only: tuple[str, ...] = ()  # therapist-only fields, left out of the patient's copy


# In load order: a row comes after every row it points to.
RECORD_MODELS = [
    Table("patient", Patient, "pk", ("user", "therapist"), staff_only=("notes",)),
    Table("programs", Program, "patient", ("template",)),
    Table("prescriptions", Prescription, "program__patient", ("program", "exercise")),
    Table("sessions", ExerciseSession, "program__patient", ("program",)),
    Table(
        "set_logs",
        SetLog,
        "session__program__patient",
        ("exercise", "prescription__program", "prescription__exercise"),
    ),
    Table("outcome_measures", OutcomeMeasure, "patient", ("recorded_by",)),
    Table("outcome_requests", OutcomeRequest, "patient", ("requested_by",)),
    Table("signal_reviews", SignalReview, "patient", ("reviewed_by",), staff_only=("note",)),
]
# Users are written without passwords, permissions or groups: enough to own the rows, never to
# sign in with.
USER_FIELDS = ("username", "first_name", "last_name", "is_staff", "is_active")
EXERCISE_CSV_FIELDS = ("slug", "name", "kind")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _complete(key):
    return key if key and all(part is not None for part in key) else None


class RecordSerializer(PythonSerializer):
    """Natural keys where a row has a complete one; a patient's plan (no slug) keeps its pk."""

    def _resolve_natural_key(self, obj):
        return _complete(super()._resolve_natural_key(obj))

    def _resolve_fk_natural_key(self, obj, field):
        if getattr(obj, field.attname) is None:
            return None
        return _complete(super()._resolve_fk_natural_key(obj, field))

    def handle_m2m_field(self, obj, field):
        # From the rows record_rows prefetched, in pk order: no query per row.
        related = sorted(getattr(obj, field.name).all(), key=lambda row: row.pk)
        self._current[field.name] = [self._resolve_natural_key(r) or r.pk for r in related]


class RecordEncoder(DjangoJSONEncoder):
    """Keep microseconds (DjangoJSONEncoder drops them), so a reloaded row compares equal."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def record_rows(patient, *, staff=False):
    """[(table name, model, rows, fields or None)]: the record, rows it points to first."""
    tables = []
    for table in RECORD_MODELS:
        many = [f.name for f in table.model._meta.local_many_to_many]
        rows = list(
            table.model.objects.filter(**{table.to_patient: patient.pk})
            .select_related(*table.related)
            .prefetch_related(*many)
            .order_by("pk")
        )
        fields = None
        if table.staff_only and not staff:
            fields = [
                f.name
                for f in [*table.model._meta.local_fields, *table.model._meta.local_many_to_many]
                if f.serialize and f.name not in table.staff_only
            ]
        tables.append((table.name, table.model, rows, fields))
    return _referenced(tables) + tables


def _referenced(tables):
    """The users, exercises and templates the record points to but doesn't hold."""
    held = {(model, row.pk) for _, model, rows, _ in tables for row in rows}
    wanted = {}
    for _, model, rows, _ in tables:
        relations = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
        many = model._meta.local_many_to_many
        for row in rows:
            pointed = [(f.related_model, getattr(row, f.attname)) for f in relations]
            pointed += [(f.related_model, r.pk) for f in many for r in getattr(row, f.name).all()]
            for target, value in pointed:
                if value is not None and (target, value) not in held:
                    wanted.setdefault(target, set()).add(value)
    User = get_user_model()
    names = {User: "users", Exercise: "exercises", Program: "templates"}
    found = []
    for model in [*names, *(m for m in wanted if m not in names)]:
        if model in wanted:
            rows = list(model._default_manager.filter(pk__in=wanted[model]).order_by("pk"))
            fields = list(USER_FIELDS) if model is User else None
            found.append((names.get(model, model._meta.db_table), model, rows, fields))
    return found


def _python_objects(rows, fields, natural_pk=True):
    return RecordSerializer().serialize(
        rows,
        fields=fields,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_pk,
    )


def record_json(patient, *, staff=False):
    """The record as a Django fixture (JSON text)."""
    objects = []
    for _, _, rows, fields in record_rows(patient, staff=staff):
        objects += _python_objects(rows, fields)
    return json.dumps(objects, cls=RecordEncoder, indent=2, ensure_ascii=False)


def safe_cell(value):
    """A CSV cell as text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _key_text(key):
    """A natural key as text (an exercise's slug, a username), or a primary key."""
    return "/".join(str(part) for part in key) if isinstance(key, list | tuple) else str(key)


def _cell(model, name, value):
    if value is None or name == "id":
        return value
    field = model._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(_key_text(key) for key in value)
    if field.is_relation:
        return _key_text(value)
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def record_zip(patient, *, staff=False):
    """The record as a zip of CSV tables (bytes), one file per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, model, rows, fields in record_rows(patient, staff=staff):
            if model is get_user_model():
                continue  # user columns already show the username
            if model is Exercise:
                fields = list(EXERCISE_CSV_FIELDS)
            objects = _python_objects(rows, fields, natural_pk=False)
            local = [*model._meta.local_fields, *model._meta.local_many_to_many]
            columns = ["id", *(f.name for f in local if f.serialize)]
            if fields is not None:
                columns = ["id", *(c for c in columns[1:] if c in fields)]
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(columns)
            for obj in objects:
                values = {"id": obj["pk"], **obj["fields"]}
                writer.writerow([safe_cell(_cell(model, c, values[c])) for c in columns])
            # A byte-order mark, so spreadsheet apps read names with accents correctly.
            archive.writestr(f"{name}.csv", "\ufeff" + out.getvalue())
    return buffer.getvalue()


def export_response(patient, fmt, *, staff=False):
    """A download of the patient's record; staff=True adds the therapist-only notes."""
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    stem = f"creekside-record-{patient.pk}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "json":
        response = HttpResponse(
            record_json(patient, staff=staff), content_type="application/json; charset=utf-8"
        )
        filename = f"{stem}.json"
    else:
        response = HttpResponse(record_zip(patient, staff=staff), content_type="application/zip")
        filename = f"{stem}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
