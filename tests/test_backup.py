"""A full dumpdata / loaddata round trip restores every row (docs/operations.md, Backups)."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import ExerciseSession, Patient, Prescription, Program, SetLog, SigninLink
from tests.conftest import make_program, prescribe

# flush truncates tables, which PostgreSQL refuses inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# Recreated by `flush` and `migrate` (post_migrate), and matched by natural key on loading.
RECREATED = {"contenttypes.ContentType", "auth.Permission"}
FINDING = ["--natural-foreign", "--natural-primary"]  # what the security review ran
# A patient's plan has no fixture name: its natural key must be () so dumps keep its pk
# (and its prescriptions' pks) instead of writing [None], which can't be told apart.
needs_plan_keys = pytest.mark.xfail(
    Program(slug=None).natural_key() != (),
    reason="Program/Prescription.natural_key() must return () for patients' plans",
    strict=True,
)
DOCUMENTED = ["--natural-foreign", "--exclude", "contenttypes", "--exclude", "auth.permission"]


@pytest.fixture
def populated(client, patient, therapist, other_patient):
    """A clinic's database: the library and protocols, patients, a plan, a session with sets."""
    call_command("loaddata", "hamstring_exercises", "protocols", verbosity=0)
    therapist.groups.add(Group.objects.get_or_create(name="Therapists")[0])
    TOTPDevice.objects.create(user=therapist, name="Phone", confirmed=True)
    SigninLink.issue(other_patient, created_by=therapist)
    template = Program.objects.filter(patient__isnull=True).first()
    exercise = template.prescriptions.first().exercise
    plan = make_program(patient, start_date=timezone.localdate(), template=template)
    prescribe(plan, exercise, frequency="daily", frequency_count=1)
    bobs_plan = make_program(other_patient, start_date=timezone.localdate(), title="Bob's plan")
    prescribe(bobs_plan, exercise, sets=2)
    client.post("/accounts/login/", {"username": "bob@example.test", "password": "wrong"})
    client.force_login(patient.user)
    session_url = client.post("/sessions/start/", {"slot": "1"})["Location"]
    session = ExerciseSession.objects.get()
    step = session.set_logs.first()
    client.post(f"{session_url}steps/{step.pk}/complete/", {"reps_done": "8"})
    assert SetLog.objects.filter(status="done").count() == 1
    for model in [Patient, Program, Prescription, ExerciseSession, SetLog, SigninLink]:
        assert model.objects.exists(), model


def every_row():
    """Every row of every model, foreign keys by natural key; primary keys as well if kept."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label
        queryset = model._default_manager.order_by("pk")
        if label in RECREATED:  # derived from the models; recreated in another order
            rows[label] = sorted(obj.natural_key() for obj in queryset)
            continue
        rows[f"{label} pks"] = list(queryset.values_list("pk", flat=True))
        rows[label] = [
            _to_milliseconds(obj)
            for obj in serializers.serialize(
                "python", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
        ]
    return rows


def _to_milliseconds(obj):
    # Django's JSON encoder writes times to the millisecond.
    for name, value in obj["fields"].items():
        if isinstance(value, datetime.datetime):
            obj["fields"][name] = value.replace(microsecond=value.microsecond // 1000 * 1000)
    return obj


def round_trip(tmp_path, options):
    backup = tmp_path / "backup.json"
    call_command("dumpdata", *options, "--output", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Program.objects.exists() and not Group.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)  # the project's loaddata, as documented


@needs_plan_keys
def test_the_documented_dump_restores_every_row_and_key(populated, tmp_path):
    before = every_row()
    round_trip(tmp_path, DOCUMENTED)
    assert every_row() == before


@needs_plan_keys
def test_a_natural_key_dump_restores_every_row(populated, tmp_path):
    # Natural primary keys give exercises, templates and users new pks; all else keeps its own.
    before = {label: rows for label, rows in every_row().items() if " pks" not in label}
    round_trip(tmp_path, FINDING)
    after = {label: rows for label, rows in every_row().items() if " pks" not in label}
    assert after == before


def test_clinic_fixtures_are_still_validated(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(
        '[{"model": "exercises.exercise", "fields": {"slug": "x", "kind": "stretch"}}]'
    )
    with pytest.raises(Exception, match="Nothing was loaded"):
        call_command("loaddata", str(broken), verbosity=0)
