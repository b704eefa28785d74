"""Implausible values are refused by the forms, the models and the database (issue 13, 5-6)."""

import datetime
import json
import re
import tracemalloc
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from creekside import dosing
from exercises.models import Exercise
from programs.models import Prescription, Program
from tests.conftest import MONDAY, add_row, make_exercise, make_program, page_data, prescribe

pytestmark = pytest.mark.django_db

HUGE_SET_COUNTS = [10**7, 10**12]
MEMORY_CEILING = 20 * 1024 * 1024  # bytes: a form post never needs more


def peak_memory(run):
    """The most memory run() held at once (a list of 10**7 sets alone takes 80 MB)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.filter(pk=fields.pop("pk")).update(**fields)


# Sets: checked before anything is built for them ---------------------------------------------


@pytest.mark.parametrize("sets", [0, -1, 11, *HUGE_SET_COUNTS, None, "3"])
def test_parse_reps_checks_the_set_count_before_building_targets(sets):
    with pytest.raises(ValidationError) as caught:
        dosing.parse_reps("10", sets)
    assert caught.value.code == "sets_out_of_range"


@pytest.mark.parametrize("sets", HUGE_SET_COUNTS)
@pytest.mark.parametrize("scheme", ["10", ""])
def test_safe_targets_gives_nothing_for_a_huge_set_count(sets, scheme):
    assert peak_memory(lambda: dosing.safe_targets(scheme, sets)) < 1024 * 1024
    assert dosing.safe_targets(scheme, sets) == []


@pytest.mark.parametrize("sets", HUGE_SET_COUNTS)
def test_the_prescription_form_refuses_huge_sets_without_building_them(
    therapist_client, program, sets
):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    data["prescriptions-0-sets"] = str(sets)
    responses = []
    assert peak_memory(lambda: responses.append(therapist_client.post(url, data))) < (
        MEMORY_CEILING
    )
    assertContains(responses[0], "Ensure this value is less than or equal to 10.")
    assert program.prescriptions.get().sets == 3


@pytest.mark.parametrize("sets", HUGE_SET_COUNTS)
def test_the_exercise_admin_refuses_huge_default_sets_without_building_them(
    admin_client, exercise, sets
):
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    data = page_data(admin_client.get(url))
    data["default_sets"] = str(sets)
    responses = []
    assert peak_memory(lambda: responses.append(admin_client.post(url, data))) < MEMORY_CEILING
    assertContains(responses[0], "Ensure this value is less than or equal to 10.")


def test_loaddata_refuses_huge_sets_without_building_them(tmp_path):
    fields = {
        "slug": "nordic-curl",
        "name": "Nordic curl",
        "kind": "eccentric",
        "summary": "Lower your body slowly.",
        "instructions": "Kneel.",
        "stop_if": "Sharp pain.",
        "position": "kneeling",
        "default_sets": 10**7,
        "default_reps": "5",
    }
    path = tmp_path / "library.json"
    path.write_text(json.dumps([{"model": "exercises.exercise", "fields": fields}]))
    errors = []

    def load():
        with pytest.raises(CommandError) as caught:
            call_command("loaddata", str(path), verbosity=0)
        errors.append(str(caught.value))

    assert peak_memory(load) < MEMORY_CEILING
    assert "default_sets" in errors[0]
    assert not Exercise.objects.exists()


@given(scheme=st.text(alphabet="0123456789,- –", max_size=40), sets=st.integers(-(10**15), 10**15))
def test_parse_reps_gives_one_target_per_set_or_a_plain_refusal(scheme, sets):
    try:
        targets = dosing.parse_reps(scheme, sets)
    except ValidationError:
        # An empty scheme is a hold (one None per set); anything else unreadable gives nothing.
        expected = [None] * sets if not scheme and 1 <= sets <= dosing.MAX_SETS else []
        assert dosing.safe_targets(scheme, sets) == expected
        return
    assert 1 <= len(targets) == sets <= dosing.MAX_SETS
    assert all(1 <= low <= high <= dosing.MAX_REPS for low, high in targets)


# Tempo, load and weeks ---------------------------------------------------------------------


@pytest.mark.parametrize("tempo", ["99-99-99-99", "11-0-1-0", "4-0-1-12", "٣-0-1-0"])
def test_tempo_phases_are_at_most_ten_seconds(tempo):
    with pytest.raises(ValidationError):
        dosing.validate_tempo(tempo)


@pytest.mark.parametrize("tempo", ["10-10-10-10", "4-0-1-0", "X-0-x-0", "04-0-1-0", ""])
def test_plausible_tempos_still_pass(tempo):
    dosing.validate_tempo(tempo)


@given(st.text(alphabet="0123456789xX-\n ", max_size=14) | st.text(max_size=14))
def test_the_tempo_validator_and_the_database_rule_agree(tempo):
    try:
        dosing.validate_tempo(tempo)
        accepted = True
    except ValidationError:
        accepted = False
    # SQLite runs Python's re.search for the constraint; PostgreSQL reads \A and \Z alike.
    assert accepted == (tempo == "" or bool(re.search(dosing.TEMPO_PATTERN, tempo)))


@pytest.mark.parametrize("tempo", ["4-0-1-0\n", "\n4-0-1-0", "4-0-1-0 ", "4-0-1-0-0"])
def test_the_database_refuses_a_tempo_with_anything_around_it(program, tempo):
    refused(pk=program.prescriptions.get().pk, tempo=tempo)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tempo": "99-99-99-99"}, "Each tempo phase is at most 10 seconds"),
        ({"load_kind": "kg", "load_amount": "9999.9"}, "less than or equal to 660"),
        ({"load_kind": "kg", "load_amount": "300.5"}, "At most 300 kg."),
        ({"load_kind": "lb", "load_amount": "661"}, "less than or equal to 660"),
        ({"week_from": "105"}, "less than or equal to 104"),
        ({"week_from": "1", "week_to": "32768"}, "less than or equal to 104"),
        ({"week_from": "99999999999999999999"}, "less than or equal to 104"),
    ],
)
def test_the_admin_explains_implausible_doses(therapist_client, patient, exercise, fields, message):
    data = page_data(therapist_client.get("/admin/programs/program/add/"))
    data.update(
        title="Tight hamstrings",
        patient=str(patient.pk),
        start_date=MONDAY.isoformat(),
        status="active",
    )
    add_row(data, 0, exercise, side="left", **fields)
    response = therapist_client.post("/admin/programs/program/add/", data)
    assertContains(response, message)
    assert not Program.objects.exists()


def test_plausible_heavy_loads_are_kept(program, exercise):
    row = program.prescriptions.get()
    for kind, amount in (("kg", "300"), ("lb", "660")):
        row.load_kind, row.load_amount = kind, Decimal(amount)
        row.full_clean()
        row.save()


def test_the_database_refuses_implausible_doses(program):
    pk = program.prescriptions.get().pk
    refused(pk=pk, tempo="99-99-99-99")
    refused(pk=pk, tempo="11-0-1-0")
    refused(pk=pk, load_kind="kg", load_amount=Decimal("300.5"))
    refused(pk=pk, load_kind="lb", load_amount=Decimal("660.5"))
    refused(pk=pk, week_from=105)
    refused(pk=pk, week_to=105)
    Prescription.objects.filter(pk=pk).update(tempo="10-0-X-0", week_to=104)


def test_the_database_refuses_an_exercise_tempo_over_ten_seconds(exercise):
    exercise.default_tempo = "99-99-99-99"
    with pytest.raises(ValidationError):
        exercise.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.filter(pk=exercise.pk).update(default_tempo="99-99-99-99")


# Start dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        datetime.date(9999, 12, 31),
        datetime.date(1300, 1, 1),
        datetime.date(1999, 12, 31),
        MONDAY + datetime.timedelta(days=5 * 366),
    ],
)
def test_a_plan_refuses_an_implausible_start_date(clock, patient, start):
    program = Program(patient=patient, title="Plan", start_date=start, status="active")
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert "start_date" in caught.value.message_dict


def test_a_plan_may_start_years_back_or_a_few_years_ahead(clock, patient):
    for start in (datetime.date(2000, 1, 1), MONDAY + datetime.timedelta(days=4 * 365)):
        Program(patient=patient, title="Plan", start_date=start, status="draft").full_clean()


@pytest.mark.parametrize("start", [datetime.date(9999, 12, 31), datetime.date(1300, 1, 1)])
def test_the_database_refuses_a_start_outside_2000_to_2100(program, start):
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(start_date=start)


@pytest.mark.parametrize("start", ["9999-12-31", "1300-01-01"])
def test_the_admin_refuses_an_implausible_start_date(therapist_client, program, start):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    data["start_date"] = start
    assertContains(therapist_client.post(url, data), "Pick a start date from 1 Jan 2000 to")
    program.refresh_from_db()
    assert program.start_date == MONDAY


@pytest.mark.parametrize("start", ["9999-12-31", "1300-01-01"])
def test_starting_a_template_refuses_an_implausible_start_date(therapist_client, patient, start):
    template = make_program(None, title="Knee protocol")
    prescribe(template, make_exercise(slug="curl"))
    response = therapist_client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": str(template.pk),
            "apply": "1",
            "patient": str(patient.pk),
            "start_date": start,
            "status": "active",
        },
    )
    assertContains(response, "Pick a start date from 1 Jan 2000 to")
    assert not Program.objects.plans().exists()
