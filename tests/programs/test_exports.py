"""A patient's whole record as JSON (loads back and compares equal) and as a zip of CSV tables."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from programs import exports
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
from tests.conftest import make_exercise, make_program, prescribe

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)
PAYLOAD = '=HYPERLINK("http://evil.test","click")'
# One query per table, one per many-to-many field (prefetched), then the users, exercises and
# templates the record points to.
EXPORT_QUERIES = len(exports.RECORD_MODELS) + len(Patient._meta.local_many_to_many) + 3


def build_record(patient, therapist, exercise, sessions=1):
    """A plan copied from a template, sessions with sets, outcomes, a request and a review."""
    template = make_program(None, slug="tight-hamstrings-starter", title="Starter")
    plan = make_program(patient, template=template, goal="Walk the dog without pain")
    curl = prescribe(plan, exercise, frequency="per_week", frequency_count=3)
    glide = prescribe(plan, make_exercise(slug="sciatic-floss", name="Floss"), side="each")
    started = timezone.now().replace(microsecond=123456)
    for n in range(sessions):
        session = ExerciseSession.objects.create(
            program=plan,
            date=DAY + datetime.timedelta(days=2 * n),
            week=1,
            started=started,
            finished=started + datetime.timedelta(minutes=20),
            pain_during=3,
            effort=5,
            note=PAYLOAD if n == 0 else "Felt fine",
        )
        for position, (rx, side) in enumerate([(curl, "both"), (glide, "left"), (glide, "right")]):
            SetLog.objects.create(
                session=session,
                position=position + 1,
                prescription=rx,
                exercise=rx.exercise,
                set_number=1,
                sets_total=rx.sets,
                side=side,
                target_reps_low=10,
                target_reps_high=10,
                dose_text=rx.dose_text,
                status="done",
                reps_done=9,
                load_used="-2 kg" if position == 0 else "",
                logged_at=started + datetime.timedelta(minutes=position),
            )
    measure = OutcomeMeasure.objects.create(
        patient=patient, kind="lefs", date=DAY, answers=[3] * 20, recorded_by=therapist
    )
    OutcomeMeasure.objects.create(
        patient=patient, kind="ake", left_degrees=35, recorded_by=therapist
    )
    OutcomeMeasure.objects.create(
        patient=patient, kind="psfs", activities=[{"activity": "@Stairs", "score": 4}]
    )
    asked = OutcomeRequest.objects.create(patient=patient, kind="lefs", requested_by=therapist)
    OutcomeRequest.objects.filter(pk=asked.pk).update(answered_at=started, measure=measure)
    OutcomeRequest.objects.create(patient=patient, kind="psfs", activities=["+Running"])
    SignalReview.objects.create(
        patient=patient,
        key="stop:1",
        kind="stop",
        day=DAY,
        reason="Stop: this hurts",
        reviewed_by=therapist,
        note="Called: settled by noon",
    )
    patient.notes = "Therapist only: anxious about running"
    patient.save()
    if any(f.name == "care_team" for f in Patient._meta.many_to_many):
        # A colleague on the care team: a many-to-many row the record must carry too.
        patient.care_team.add(get_user_model().objects.create_user("cora", is_staff=True))
    return plan


@pytest.fixture
def record(patient, therapist, exercise):
    return build_record(patient, therapist, exercise)


@pytest.fixture
def alice_client(client, patient):
    client.force_login(patient.user)
    client.get("/library/")  # the first request after signing in writes the session once
    return client


def unzip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            )
            for name in archive.namelist()
        }


# JSON ---------------------------------------------------------------------------------------


def natural_links(model):
    """(field, natural key field) for each link to a model exported by natural key."""
    keys = {"auth.User": "username", "exercises.Exercise": "slug"}
    return [
        (f.name, keys[f.related_model._meta.label])
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model._meta.label in keys
    ]


def renumbered(model):
    return {f"{name}_id" for name, _ in natural_links(model)}


def table_rows():
    return {
        # Users and exercises load by natural key, so their ids may change: compare those keys.
        model._meta.label: [
            {k: v for k, v in row.items() if k not in renumbered(model)}
            for row in model.objects.order_by("pk").values(
                *[f.attname for f in model._meta.concrete_fields],
                *[f"{name}__{key}" for name, key in natural_links(model)],
            )
        ]
        for model in [
            Patient,
            Program,
            Prescription,
            ExerciseSession,
            SetLog,
            OutcomeMeasure,
            OutcomeRequest,
            SignalReview,
        ]
    }


@pytest.mark.django_db(transaction=True)  # flush can't run inside a transaction on PostgreSQL
def test_the_json_loads_into_an_empty_database_and_compares_equal(patient, record, tmp_path):
    text = exports.record_json(patient, staff=True)
    before = table_rows()
    (tmp_path / "record.json").write_text(text)

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not Patient.objects.exists() and not Program.objects.exists()
    call_command("loaddata", str(tmp_path / "record.json"), verbosity=0)

    patient = Patient.objects.get()
    assert exports.record_json(patient, staff=True) == text
    after = table_rows()
    for label, rows in before.items():
        assert len(after[label]) == len(rows), label
    # Rows with their own keys come back with the same keys and every value, to the microsecond.
    for label in ["programs.ExerciseSession", "programs.SetLog", "programs.OutcomeRequest"]:
        assert after[label] == before[label]
    assert patient.notes == "Therapist only: anxious about running"
    assert patient.user.username == "alice@example.test"
    assert not patient.user.has_usable_password() or not patient.user.check_password(
        "alice-pass-123"
    )


@pytest.mark.django_db(transaction=True)
def test_the_json_deserializes_with_djangos_serializer(patient, record):
    text = exports.record_json(patient, staff=True)
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    for obj in serializers.deserialize("json", text):
        obj.save()
    assert SetLog.objects.count() == 3
    assert Program.objects.get(slug="tight-hamstrings-starter").copies.get().goal == (
        "Walk the dog without pain"
    )


def test_the_json_uses_natural_keys_where_rows_have_them(patient, therapist, record):
    objects = json.loads(exports.record_json(patient, staff=True))
    by_model = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj)
    usernames = [o["fields"]["username"] for o in by_model["auth.user"]]
    assert usernames[:2] == ["theo", "alice@example.test"]
    assert all("pk" not in o for o in by_model["auth.user"] + by_model["exercises.exercise"])
    assert all("password" not in o["fields"] for o in by_model["auth.user"])
    (template, plan) = by_model["programs.program"]
    assert "pk" not in template and template["fields"]["slug"] == "tight-hamstrings-starter"
    assert plan["pk"] == record.pk and plan["fields"]["template"] == ["tight-hamstrings-starter"]
    assert by_model["programs.patient"][0]["fields"]["therapist"] == ["theo"]
    assert by_model["programs.prescription"][0]["fields"]["exercise"] == ["standing-hamstring-curl"]
    assert by_model["programs.prescription"][0]["pk"]  # a plan's row has no complete natural key
    assert by_model["programs.exercisesession"][0]["fields"]["program"] == record.pk


def test_the_patients_copy_leaves_out_therapist_only_notes(patient, record):
    text = exports.record_json(patient)
    assert "anxious about running" not in text
    assert "settled by noon" not in text
    assert "Walk the dog without pain" in text


def test_the_record_holds_no_one_elses_rows(patient, other_patient, therapist, record):
    bob_plan = make_program(other_patient, title="Bob's plan")
    OutcomeMeasure.objects.create(patient=other_patient, kind="ake", left_degrees=50)
    text = exports.record_json(patient, staff=True)
    assert "Bob" not in text and "bob@example.test" not in text
    keys = {(o["model"], o.get("pk")) for o in json.loads(text)}
    assert ("programs.program", bob_plan.pk) not in keys
    assert ("programs.patient", other_patient.pk) not in keys


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_export_costs_a_fixed_number_of_queries(
    patient, therapist, exercise, django_assert_num_queries, sessions
):
    build_record(patient, therapist, exercise, sessions=sessions)
    with django_assert_num_queries(EXPORT_QUERIES):
        exports.record_json(patient)
    with django_assert_num_queries(EXPORT_QUERIES):
        exports.record_zip(patient)


# CSV ----------------------------------------------------------------------------------------


def test_the_zip_has_one_csv_per_table(patient, record):
    tables = unzip(exports.record_zip(patient))
    assert set(tables) == {
        "exercises",
        "templates",
        "patient",
        "programs",
        "prescriptions",
        "sessions",
        "set_logs",
        "outcome_measures",
        "outcome_requests",
        "signal_reviews",
    }
    assert len(tables["set_logs"]) == 1 + 3
    header, *rows = tables["set_logs"]
    assert header[:3] == ["id", "session", "position"]
    assert rows[0][header.index("exercise")] == "standing-hamstring-curl"
    assert "notes" not in tables["patient"][0]
    assert tables["exercises"][0] == ["id", "slug", "name", "kind"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_defuses_formulas(start):
    assert exports.safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("value", ["Felt fine", "3", 3, None, "a=b", "2026-11-02"])
def test_safe_cell_leaves_plain_text_alone(value):
    assert exports.safe_cell(value) == ("" if value is None else str(value))


def test_no_cell_in_the_zip_can_run_as_a_formula(patient, record):
    tables = unzip(exports.record_zip(patient))
    header, *rows = tables["sessions"]
    assert rows[0][header.index("note")] == "'" + PAYLOAD
    header, *rows = tables["set_logs"]
    assert rows[0][header.index("load_used")] == "'-2 kg"
    cells = [cell for table in tables.values() for row in table for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any("@Stairs" in c for c in cells) and any("+Running" in c for c in cells)


# Responses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "ext"),
    [("json", "application/json", "json"), ("csv", "application/zip", "zip")],
)
def test_export_response_is_a_download_never_cached(patient, record, fmt, content_type, ext):
    response = exports.export_response(patient, fmt, staff=True)
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="creekside-record-{patient.pk}-{timezone.localdate():%Y-%m-%d}.{ext}"'
    )
    assert response["Cache-Control"] == "no-store"


def test_export_response_refuses_other_formats(patient):
    from django.http import Http404

    with pytest.raises(Http404):
        exports.export_response(patient, "xml")


def test_the_patient_downloads_their_own_record(alice_client, patient, other_patient, record):
    OutcomeMeasure.objects.create(patient=other_patient, kind="ake", left_degrees=50)
    response = alice_client.get("/history/export/json/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "Walk the dog without pain" in text and "bob@example.test" not in text
    assert "anxious about running" not in text
    zipped = alice_client.get("/history/export/csv/")
    assert "patient" in unzip(zipped.content)


@pytest.mark.parametrize("sessions", [1, 5])
def test_the_download_costs_a_fixed_number_of_queries(
    alice_client, patient, therapist, exercise, django_assert_num_queries, sessions
):
    build_record(patient, therapist, exercise, sessions=sessions)
    with django_assert_num_queries(4 + EXPORT_QUERIES):  # session, user, patient, audit, export
        assert alice_client.get("/history/export/csv/").status_code == 200


def test_an_unknown_format_is_404(alice_client, record):
    assert alice_client.get("/history/export/xlsx/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    assertRedirects(
        client.get("/history/export/json/"),
        "/accounts/login/?next=/history/export/json/",
        fetch_redirect_response=False,
    )


def test_staff_are_sent_to_the_admin(client, therapist):
    client.force_login(therapist)
    assert client.get("/history/export/json/")["Location"] == "/admin/"


def test_history_links_to_both_downloads(alice_client, program):
    response = alice_client.get("/history/")
    assertContains(response, 'href="/history/export/csv/" download')
    assertContains(response, 'href="/history/export/json/" download')
