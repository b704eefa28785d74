"""Actions sent by the phone with its own id and time: each id is stored once (issue 17)."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from pytest_django.asserts import assertContains, assertNotContains

from programs import offline, services
from programs.models import ExerciseSession, SetLog
from tests.conftest import HTMX, LONDON, MONDAY, start

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (CI runs them with DATABASE_URL)",
)


def at(hour, minute):
    return datetime.datetime.combine(MONDAY, datetime.time(hour, minute), tzinfo=LONDON)


TEN_PAST = at(9, 10)


@pytest.fixture
def steps(session, clock):
    """Alice's three sets, at 09:30: half an hour after she started."""
    clock.set(at(9, 30))
    return list(session.set_logs.all())


def post(client, step, action="complete", client_id=None, logged_at=TEN_PAST, **data):
    url = f"/sessions/{step.session_id}/steps/{step.pk}/{action}/"
    if action == "complete":
        data.setdefault("reps_done", "9")
    fields = {"client_id": str(client_id or uuid.uuid4()), "logged_at": logged_at.isoformat()}
    return client.post(url, {**fields, **data}, headers=HTMX)


def finish(client, session, client_id, pain="2", **extra):
    data = {"pain_during": pain, "effort": "5", "client_id": str(client_id), **extra}
    return client.post(f"/sessions/{session.pk}/finish/", data, headers=HTMX)


def test_it_stores_the_phones_id_and_time(alice, steps):
    client_id = uuid.uuid4()
    response = post(alice, steps[0], client_id=client_id, logged_at=at(9, 12))
    assert response[offline.HEADER] == "applied"
    assertContains(response, "Step 2 of 3")
    steps[0].refresh_from_db()
    assert (steps[0].status, steps[0].client_id, steps[0].logged_at) == (
        "done",
        client_id,
        at(9, 12),
    )


def test_a_replayed_action_is_stored_once_and_answered_as_sent_before(alice, steps):
    client_id = uuid.uuid4()
    post(alice, steps[0], client_id=client_id, logged_at=at(9, 12), reps_done="9")
    for _ in range(3):  # a lost answer, a second tab, a replayed queue
        response = post(alice, steps[0], client_id=client_id, logged_at=at(9, 20), reps_done="3")
        assert response[offline.HEADER] == "duplicate"
        assertNotContains(response, offline.ELSEWHERE_NOTICE)
    steps[0].refresh_from_db()
    assert (steps[0].reps_done, steps[0].logged_at) == (9, at(9, 12))
    assert SetLog.objects.filter(status="done").count() == 1


def test_a_set_logged_from_another_device_wins_and_the_phone_is_told(alice, steps):
    post(alice, steps[0], reps_done="10")  # the tablet, online
    response = post(alice, steps[0], reps_done="4")  # the phone's queue, later
    assert response[offline.HEADER] == "conflict"
    assertContains(response, "already saved from another device")
    steps[0].refresh_from_db()
    assert steps[0].reps_done == 10


def test_a_set_logged_without_javascript_also_wins(alice, steps):
    alice.post(f"/sessions/{steps[0].session_id}/steps/{steps[0].pk}/complete/", {"reps_done": "7"})
    assert post(alice, steps[0])[offline.HEADER] == "conflict"


def test_without_a_client_id_nothing_changes(alice, steps):
    url = f"/sessions/{steps[0].session_id}/steps/{steps[0].pk}/complete/"
    response = alice.post(url, {"reps_done": "8", "client_id": "not-a-uuid"})
    assert response.status_code == 303
    assert offline.HEADER not in response
    steps[0].refresh_from_db()
    assert (steps[0].client_id, steps[0].logged_at) == (None, at(9, 30))
    assert offline.HEADER not in alice.post(url, {"reps_done": "8"}, headers=HTMX)


def test_the_redirect_without_htmx_says_what_happened_too(alice, steps):
    url = f"/sessions/{steps[0].session_id}/steps/{steps[0].pk}/complete/"
    response = alice.post(url, {"reps_done": "8", "client_id": str(uuid.uuid4())})
    assert (response.status_code, response[offline.HEADER]) == (303, "applied")


def test_an_id_used_for_another_set_stores_nothing_more(alice, steps):
    client_id = uuid.uuid4()
    post(alice, steps[0], client_id=client_id)
    assert post(alice, steps[1], client_id=client_id)[offline.HEADER] == "duplicate"
    steps[1].refresh_from_db()
    assert (steps[1].status, steps[1].client_id) == ("pending", None)


def test_invalid_input_is_answered_as_invalid_and_stores_nothing(alice, steps):
    response = post(alice, steps[0], reps_done="-1")
    assert response[offline.HEADER] == "invalid"
    assert SetLog.objects.exclude(status="pending").count() == 0
    assert post(alice, steps[0], "skip", reason="")[offline.HEADER] == "invalid"
    assert post(alice, steps[0], "stop", pain="11")[offline.HEADER] == "invalid"


def test_skip_and_stop_are_stored_once_by_their_ids(alice, steps):
    skip_id, stop_id = uuid.uuid4(), uuid.uuid4()
    for _ in range(2):
        post(alice, steps[0], "skip", skip_id, at(9, 11), reason="No time")
        post(alice, steps[1], "stop", stop_id, at(9, 14), pain="6")
    logs = list(SetLog.objects.order_by("position"))
    assert [(s.status, s.client_id) for s in logs] == [
        ("skipped", skip_id),
        ("stopped", stop_id),
        ("skipped", None),  # the rest of the exercise, skipped by the stop
    ]
    assert [s.logged_at for s in logs] == [at(9, 11), at(9, 14), at(9, 14)]
    assert post(alice, steps[1], "stop", stop_id, pain="2")[offline.HEADER] == "duplicate"


def test_stop_for_today_is_applied_once(alice, steps, session):
    data = {"client_id": str(uuid.uuid4()), "logged_at": at(9, 15).isoformat()}
    url = f"/sessions/{session.pk}/stop-today/"
    assert alice.post(url, data, headers=HTMX)[offline.HEADER] == "applied"
    assert alice.post(url, data, headers=HTMX)[offline.HEADER] == "duplicate"
    assert set(SetLog.objects.values_list("logged_at", flat=True)) == {at(9, 15)}


def test_finish_is_stored_once_and_another_devices_finish_wins(alice, steps, session):
    client_id = uuid.uuid4()
    response = finish(alice, session, client_id, logged_at=at(9, 25).isoformat())
    assert (response["HX-Redirect"], response[offline.HEADER]) == (
        f"/sessions/{session.pk}/",
        "applied",
    )
    assert finish(alice, session, client_id, pain="7")[offline.HEADER] == "duplicate"
    assert finish(alice, session, uuid.uuid4(), pain="8")[offline.HEADER] == "conflict"
    session.refresh_from_db()
    assert (session.client_id, session.pain_during, session.finished) == (client_id, 2, at(9, 25))
    assert ExerciseSession.objects.filter(finished__isnull=False).count() == 1


def test_an_invalid_finish_is_answered_as_invalid(alice, steps, session):
    assert finish(alice, session, uuid.uuid4(), pain="")[offline.HEADER] == "invalid"
    session.refresh_from_db()
    assert not session.is_finished


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (at(9, 10), at(9, 10)),  # within the session: kept
        (at(9, 45), at(9, 30)),  # ahead of the server's clock: now
        (at(8, 0), at(9, 0)),  # before the session started: its start
        (at(9, 10) - datetime.timedelta(days=2), at(9, 0)),
        (None, at(9, 30)),  # no time, or not a time: now
    ],
)
def test_the_phones_time_is_kept_within_the_session(session, clock, sent, stored):
    clock.set(at(9, 30))
    assert offline.clamp(sent.isoformat() if sent else "yesterday", session) == stored


def test_a_queue_sent_days_later_stays_on_the_sessions_day(session, clock):
    clock.set(MONDAY + datetime.timedelta(days=3))
    late = datetime.datetime(2026, 11, 3, 1, 0, tzinfo=LONDON)
    assert offline.clamp(late.isoformat(), session) == at(23, 59).replace(
        second=59, microsecond=999999
    )
    assert offline.clamp("2026-11-02T10:00:00", session) == at(10, 0)  # naive: UTC (GMT in Nov)


# Races: PostgreSQL only ----------------------------------------------------------------------


def race(target, n=4):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_action_sent_from_four_tabs_at_once_is_stored_once(program):
    session = start(program)
    step = session.set_logs.first()
    client_id = uuid.uuid4()

    def send(i):
        applied = services.complete_step(session, step.pk, reps_done=i + 1, client_id=client_id)
        return offline.outcome(offline.Sent(client_id), SetLog, applied)

    assert sorted(race(send)) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert SetLog.objects.filter(status="done", client_id=client_id).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_set_sent_from_four_devices_at_once_keeps_the_first(program):
    session = start(program)
    step = session.set_logs.first()

    def send(i):
        sent = offline.Sent(uuid.uuid4())
        applied = services.complete_step(session, step.pk, reps_done=i + 1, client_id=sent[0])
        return offline.outcome(sent, SetLog, applied)

    assert sorted(race(send)) == ["applied", "conflict", "conflict", "conflict"]
    assert SetLog.objects.filter(status="done").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_finish_sent_from_four_tabs_at_once_finishes_once(program):
    session = start(program)
    client_id = uuid.uuid4()

    def send(i):
        done = services.finish_session(session, pain_during=i, effort=3, client_id=client_id)
        return offline.outcome(offline.Sent(client_id), ExerciseSession, done)

    assert sorted(race(send)) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert ExerciseSession.objects.get().client_id == client_id


# The page the phone goes on from ------------------------------------------------------------


def test_the_session_page_carries_every_step_left_for_offline(alice, steps, session):
    post(alice, steps[0])
    page = alice.get(f"/sessions/{session.pk}/")
    assertContains(page, '<template data-step="', count=2)  # the two sets not done
    assertContains(page, 'data-steps-total="3" data-steps-done="1"')
    for card in ("stop", "stopped", "finish", "finished"):
        assertContains(page, f'<template data-card="{card}">')
    assertContains(page, "js/session-offline.js")
    card = alice.get(f"/sessions/{session.pk}/", headers=HTMX)
    assertNotContains(card, "<template")  # htmx's card stays as small as before


def test_the_session_page_lists_the_plans_pictures(alice, steps, session):
    steps[0].exercise.image = "exercises/curl.svg"
    steps[0].exercise.save()
    page = alice.get(f"/sessions/{session.pk}/")
    assertContains(page, 'data-offline-pictures="/media/exercises/curl.svg"')
