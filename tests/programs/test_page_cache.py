"""Patient pages read from the cache: never stale after a write, the clock, or another account.

programs/page_cache.py keeps Today, My plan, History and the session page per account until
the patient's data, the library or the clock changes them. Each test opens a page (kept), makes
one change the way the app makes it, and opens it again: the change must show.
"""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from programs import page_cache, page_versions, services
from programs.models import Program, SetLog
from tests.conftest import ALICE_PASSWORD, HTMX, LONDON, MONDAY, days

pytestmark = pytest.mark.django_db


def kept(client, url, django_assert_num_queries, **kwargs):
    """Open url twice; the second answer must come from the cache (3 queries)."""
    client.get(url, **kwargs)
    with django_assert_num_queries(3):  # the session, the user, the audit entry
        return client.get(url, **kwargs)


def test_a_logged_set_shows_on_the_session_page_and_today(
    alice, session, django_assert_num_queries
):
    url = session.get_absolute_url()
    assertContains(kept(alice, url, django_assert_num_queries, headers=HTMX), "Set 1 of 3")
    kept(alice, "/", django_assert_num_queries)
    services.complete_step(session, session.set_logs.first().pk, reps_done=10)
    assertContains(alice.get(url, headers=HTMX), "Set 2 of 3")
    assertContains(alice.get("/"), "1 of 3 steps done")


def test_a_logged_set_through_the_page_shows_at_once(alice, session, django_assert_num_queries):
    url = session.get_absolute_url()
    kept(alice, url, django_assert_num_queries)
    step = session.set_logs.first()
    alice.post(f"{url}steps/{step.pk}/complete/", {"reps_done": "8"}, headers=HTMX)
    assertContains(alice.get(url), "Set 2 of 3")


def test_the_therapists_new_dose_shows_on_my_plan(alice, program, django_assert_num_queries):
    assertContains(kept(alice, "/program/", django_assert_num_queries), "10 reps")
    rx = program.prescriptions.get()
    rx.reps = "12"
    rx.save()
    assertContains(alice.get("/program/"), "12 reps")


def test_a_paused_plan_shows_on_today(alice, program, django_assert_num_queries):
    assertContains(kept(alice, "/", django_assert_num_queries), "Start")
    program.status = Program.Status.PAUSED
    program.save()
    assertNotContains(alice.get("/"), "Start session")


def test_a_renamed_exercise_shows_on_every_page(
    alice, program, exercise, django_assert_num_queries
):
    kept(alice, "/program/", django_assert_num_queries)
    exercise.name = "Seated hamstring curl"
    exercise.save()
    assertContains(alice.get("/program/"), "Seated hamstring curl")


def test_the_patients_language_shows_at_once(alice, patient, program, django_assert_num_queries):
    kept(alice, "/", django_assert_num_queries)
    patient.language = "es"
    patient.save()
    response = alice.get("/")
    assertContains(response, '<html lang="es">')
    assert response["Content-Language"] == "es"
    # and from the cache it stays Spanish, header and all
    again = kept(alice, "/", django_assert_num_queries)
    assertContains(again, '<html lang="es">')
    assert again["Content-Language"] == "es"


def test_the_check_in_appears_when_it_is_due(alice, session, clock, django_assert_num_queries):
    services.finish_session(session, pain_during=2, effort=5)
    clock.set(MONDAY, hour=10)
    assertNotContains(kept(alice, "/", django_assert_num_queries), "Quick check-in")
    clock.set(MONDAY, hour=16)  # still the same day, less than eight hours on: still kept
    assertNotContains(kept(alice, "/", django_assert_num_queries), "Quick check-in")
    clock.set(MONDAY + days(1), hour=8)  # the next morning
    response = alice.get("/")
    assertContains(response, "Quick check-in")
    assertContains(response, "this morning")
    clock.set(MONDAY + days(1), hour=13)  # after noon the question changes
    assertContains(alice.get("/"), "How does your hamstring feel today?")


def test_a_new_day_is_a_new_today(alice, program, clock, django_assert_num_queries):
    clock.set(datetime.datetime(2026, 11, 2, 23, 59, tzinfo=LONDON))
    kept(alice, "/", django_assert_num_queries)
    clock.set(datetime.datetime(2026, 11, 3, 0, 1, tzinfo=LONDON))
    with django_assert_num_queries(8, exact=False):  # rendered again
        alice.get("/")


def test_each_account_sees_its_own_page(alice, program, other_patient, clock):
    kept_for_alice = alice.get("/program/")
    bob = Client()
    bob.force_login(other_patient.user)
    response = bob.get("/program/")
    assertNotContains(response, "Tight hamstrings")
    assert response.content != kept_for_alice.content


def test_a_flash_message_is_shown_once_and_never_kept(alice, session, clock):
    services.finish_session(session, pain_during=2, effort=5)
    clock.set(MONDAY + days(1), hour=8)
    alice.post("/checkin/", {"session": session.pk, "pain": "1"})
    assertContains(alice.get("/"), "Thank you.")
    assertNotContains(alice.get("/"), "Thank you.")


def test_a_kept_page_carries_a_working_csrf_token(patient, program, clock):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=patient.user.username, password=ALICE_PASSWORD)
    client.get("/")
    page = client.get("/")  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    assert token != page_cache.TOKEN
    response = client.post("/sessions/start/", {"slot": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_kept_page_gets_this_answers_nonce(alice, program):
    first, again = alice.get("/"), alice.get("/")
    nonce = re.search(r'nonce="([^"]+)"', again.text).group(1)
    assert nonce != page_cache.NONCE
    assert f"'nonce-{nonce}'" in again["Content-Security-Policy"]
    assert nonce not in first.text


def test_a_write_in_a_transaction_is_told_again_when_it_commits(
    patient, django_capture_on_commit_callbacks
):
    key = page_versions.account_key(patient.user_id)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page_versions.changed(user_id=patient.user_id)
        during = cache.get(key)
    assert len(callbacks) == 1
    assert cache.get(key) not in (None, during)


def test_no_keeping_when_the_lifetime_is_zero(alice, program, settings, django_assert_num_queries):
    settings.PATIENT_PAGE_SECONDS = 0
    alice.get("/")
    with django_assert_num_queries(8):
        alice.get("/")


def test_the_account_of_a_row_needs_no_query_when_its_parents_are_loaded(
    session, django_assert_num_queries
):
    step = session.set_logs.select_related("session__program__patient").first()
    owner = (session.program.patient_id, session.program.patient.user_id)
    with django_assert_num_queries(0):
        assert page_versions.owner_of(step, "session__program__patient") == owner
    bare = SetLog.objects.get(pk=step.pk)  # its session not loaded
    with django_assert_num_queries(1):
        assert page_versions.owner_of(bare, "session__program__patient") == owner


def test_a_page_from_the_cache_is_still_audited(alice, patient, program):
    alice.get("/program/")
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=patient.user)
    before = reads.count()
    alice.get("/program/")  # from the cache
    assert reads.count() == before + 1
    assert reads.latest("timestamp").additional_data["event"] == "viewed their own /program/"


def test_an_account_id_given_again_is_a_new_page(
    alice, patient, program, django_assert_num_queries
):
    """A database rebuilt under a shared cache reuses ids: the account's creation tells them apart."""
    kept(alice, "/", django_assert_num_queries)
    type(patient.user).objects.filter(pk=patient.user_id).update(
        date_joined=patient.user.date_joined - datetime.timedelta(days=1)
    )
    with django_assert_num_queries(8):  # rendered, not the other account's page
        alice.get("/")
