"""Races that only a real database server shows: run in CI's PostgreSQL leg."""

import threading

import pytest
from django.db import connection, connections

from programs import services
from programs.models import ExerciseSession, SetLog
from tests.conftest import MONDAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency tests need PostgreSQL (CI runs them with DATABASE_URL)",
    ),
]


def race(target, *args, n=4):
    """Run target(*args) in n threads released together; return their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = target(*args)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


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
