"""Races that only a real database server shows: run in CI's PostgreSQL leg."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from programs import services
from programs.models import ExerciseSession, Program, SetLog, SigninLink
from tests.conftest import MONDAY, make_program, prescribe, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (CI runs them with DATABASE_URL)",
    ),
]


def test_starting_the_same_session_in_four_tabs_makes_one(program):
    planned = program.planned_sessions(MONDAY, MONDAY)[0]
    sessions = race(services.start_session, planned)
    assert len({s.pk for s in sessions}) == 1
    assert ExerciseSession.objects.count() == 1
    assert SetLog.objects.count() == 3


def test_the_same_set_posted_four_times_at_once_is_logged_once(program):
    session = services.start_session(program.planned_sessions(MONDAY, MONDAY)[0])
    step = session.set_logs.first()
    results = race(lambda: services.complete_step(session, step.pk, reps_done=10))
    assert sorted(results) == [False, False, False, True]
    assert SetLog.objects.filter(status="done").count() == 1


def test_starting_a_template_for_a_patient_four_ways_at_once_leaves_one_active_plan(
    patient, exercise
):
    template = make_program(None, title="Knee protocol")
    prescribe(template, exercise)
    plans = race(services.copy_template, template, patient, MONDAY)
    assert all(plan is not None for plan in plans)  # no IntegrityError in any of the four
    assert Program.objects.filter(patient=patient).count() == 4
    assert Program.objects.filter(patient=patient, status="active").count() == 1


def test_link_requests_at_the_same_moment_send_no_more_than_the_hourly_limit(cara, settings):
    def ask():
        return Client().post("/accounts/link/", {"email": "cara@example.test"}).status_code

    assert race(ask, n=24) == [302] * 24
    assert SigninLink.objects.filter(patient=cara).count() == settings.SIGNIN_LINK_EMAILS_PER_HOUR
    assert len(mail.outbox) == settings.SIGNIN_LINK_EMAILS_PER_HOUR
