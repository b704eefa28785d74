"""The database refuses an impossible dose, whatever path (admin, fixture, code) tries to store it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from programs.models import Prescription, Program
from tests.conftest import MONDAY, make_program, prescribe

pytestmark = pytest.mark.django_db


def test_a_sound_prescription_saves(program, exercise):
    prescribe(program, exercise, reps="12,10,8", week_from=5, week_to=10, effort=6)
    assert Prescription.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"sets": 0}, "sets_1_10"),
        ({"sets": 11}, "sets_1_10"),
        ({"reps": "", "hold_seconds": None}, "reps_or_hold"),
        ({"hold_seconds": 0}, "hold_1_300"),
        ({"hold_seconds": 301}, "hold_1_300"),
        ({"week_from": 0}, "week_from_positive"),
        ({"week_from": 5, "week_to": 4}, "week_range"),
        ({"pain_ceiling": 11}, "pain_0_10"),
        ({"effort": 11}, "effort_0_10"),
        ({"rest_seconds": 601}, "rest_0_600"),
        ({"side": "up"}, "side_valid"),
        ({"load_kind": "stone"}, "load_kind_valid"),
        # NULL > 0 is unknown and SQL lets a CHECK pass on unknown: the constraint tests isnull.
        ({"load_kind": "kg", "load_amount": None}, "weight_has_amount"),
        ({"load_kind": "lb", "load_amount": 0}, "weight_has_amount"),
        ({"load_kind": "band", "load_text": ""}, "load_has_text"),
        ({"frequency": "hourly"}, "frequency_valid"),
        ({"frequency_count": 0}, "frequency_count_range"),
        ({"frequency": "per_week", "frequency_count": 8}, "frequency_count_range"),
        ({"frequency": "daily", "frequency_count": 7}, "frequency_count_range"),
        ({"frequency": "every_n_days", "frequency_count": 15}, "frequency_count_range"),
        ({"frequency": "weekdays", "weekdays": ""}, "weekdays_listed"),
        ({"frequency": "weekdays", "weekdays": "7"}, "weekdays_listed"),
        ({"frequency": "weekdays", "weekdays": "0,,2"}, "weekdays_listed"),
        ({"frequency": "weekdays", "weekdays": "mon"}, "weekdays_listed"),
    ],
)
def test_it_refuses_an_impossible_prescription(program, exercise, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        prescribe(program, exercise, **fields)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "archived"}, "status_valid"),
        ({"pain_ceiling": 11}, "pain_ceiling_0_10"),
        ({"weeks": 0}, "weeks_1_104"),
        ({"weeks": 105}, "weeks_1_104"),
        ({"slug": "my-plan"}, "only_templates_have_slugs"),
        ({"start_date": None}, "plan_has_start"),
    ],
)
def test_it_refuses_an_impossible_plan(patient, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make_program(patient, **fields)


def test_a_template_stays_a_draft(db):
    with pytest.raises(IntegrityError, match="template_is_draft"), transaction.atomic():
        make_program(None, status=Program.Status.ACTIVE, start_date=MONDAY)


def test_a_patient_has_one_active_plan_at_a_time(program):
    with (
        pytest.raises(IntegrityError, match=r"(?i)unique|one_active_per_patient"),
        transaction.atomic(),
    ):
        make_program(program.patient, title="Second")
    make_program(program.patient, title="Next, paused", status=Program.Status.PAUSED)


def test_a_row_is_unique_per_exercise_side_and_first_week(program, exercise):
    with pytest.raises(IntegrityError, match=r"(?i)unique"), transaction.atomic():
        prescribe(program, exercise, sets=2)
    prescribe(program, exercise, side="left")
    prescribe(program, exercise, week_from=2)


@pytest.fixture
def logged_session(program):
    from programs import services

    return services.start_session(
        program.planned_sessions(program.start_date, program.start_date)[0]
    )


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"target_reps_low": 10, "target_reps_high": 8}, "target_range"),
        (
            {"status": "done", "logged_at": datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC)},
            "done_has_result",
        ),
        (
            {"status": "stopped", "logged_at": datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC)},
            "stopped_has_pain",
        ),
        ({"status": "done", "reps_done": 10}, "logged_when_not_pending"),
    ],
)
def test_a_set_log_keeps_its_facts_straight(logged_session, fields, constraint):
    step = logged_session.set_logs.first()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        type(step).objects.filter(pk=step.pk).update(**fields)


def test_a_session_week_is_positive(logged_session):
    with pytest.raises(IntegrityError, match="week_positive"), transaction.atomic():
        type(logged_session).objects.filter(pk=logged_session.pk).update(week=0)


def test_a_plan_with_logs_cannot_be_deleted(logged_session):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        logged_session.program.delete()
