import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs import services
from tests.conftest import MONDAY, days, make_exercise, prescribe, start

pytestmark = pytest.mark.django_db


def do_sessions(program, offsets, clock):
    """Start and finish a session at 09:00 on each of offsets (days from MONDAY)."""
    for n, offset in enumerate(offsets):
        day = MONDAY + days(offset)
        clock.set(day)
        session = start(program, day)
        for step in list(session.set_logs.all())[:-1]:
            services.complete_step(session, step.pk, reps_done=9)
        services.finish_session(session, pain_during=n % 4, effort=3 + n % 3)


def test_it_shows_sessions_adherence_chart_and_logs(alice, program, clock):
    do_sessions(program, [0, 2, 7], clock)
    clock.set(datetime.date(2026, 11, 10), hour=12)
    response = alice.get("/history/")
    assertContains(response, "Week 2 (this week)")
    assertContains(response, "<strong>2 of 3</strong> sessions")
    assertContains(response, "<strong>1 of 3</strong> sessions")
    assertContains(response, "<svg")
    assertContains(response, "<polyline", count=2)
    assertContains(response, 'id="sessions-table"')
    assertContains(response, "2 of 3", count=3 + 2)  # each session row, week 1 text and label
    assertContains(response, "Standing hamstring curl")
    assertContains(response, "9 (10), 9 (10), skipped")
    assert "style=" not in response.content.decode()


def test_it_is_friendly_when_empty(alice, program):
    assertContains(alice.get("/history/"), "Nothing here yet")


def test_it_sends_anonymous_to_sign_in(client):
    assertRedirects(client.get("/history/"), "/accounts/login/?next=/history/")


def test_it_shows_only_my_sessions(client, other_patient, program, clock):
    do_sessions(program, [0], clock)
    client.force_login(other_patient.user)
    assertContains(client.get("/history/"), "Nothing here yet")


@pytest.mark.parametrize("size", [1, 4])
def test_query_count_is_flat(alice, program, clock, django_assert_num_queries, size):
    for n in range(size - 1):
        prescribe(program, make_exercise(slug=f"e{n}", name=f"E{n}"), order=n + 1)
    do_sessions(program, [0, 2, 4, 7, 9, 11][: size + 2], clock)
    clock.set(datetime.date(2026, 11, 14), hour=12)
    # 11 (the exercises named in the sets are one query of their own), and the audit entry
    with django_assert_num_queries(12):
        assert alice.get("/history/").status_code == 200


def test_it_shows_four_weeks_and_links_to_earlier_ones(alice, program, clock):
    program.weeks = None
    program.save()
    do_sessions(program, [0, 7 * 13], clock)  # week 1, and week 14
    clock.set(datetime.date(2027, 2, 3), hour=12)
    alice.force_login(program.patient.user)  # the first sign-in has expired by February
    response = alice.get("/history/")
    assertContains(response, "Mon 1 Feb")
    assert "Mon 2 Nov" not in response.content.decode()
    assertContains(response, 'href="/history/?until=2027-01-06"')
    older = alice.get("/history/?until=2026-11-11")
    assertContains(older, "Mon 2 Nov")
    assertContains(older, "Week 1 ")
    assertNotContains(older, "Mon 1 Feb")
    assertContains(older, 'href="/history/?until=2026-12-09"')


def test_a_bad_date_goes_back_to_the_latest_history(alice, program):
    response = alice.get("/history/?until=not-a-date", follow=True)
    assertRedirects(response, "/history/")
    assertContains(response, "a date we couldn")


@pytest.mark.parametrize("until", ["0001-01-01", "0001-01-27"])
def test_a_date_too_early_to_count_back_from_goes_back_to_the_latest(alice, program, until):
    response = alice.get(f"/history/?until={until}", follow=True)
    assertRedirects(response, "/history/")
    assertContains(response, "a date we couldn")


def test_the_first_four_weeks_ever_still_work(alice, program):
    assert alice.get("/history/?until=0001-01-28").status_code == 200


def test_a_finished_plan_keeps_its_weekly_adherence(alice, program, clock):
    do_sessions(program, [0, 2, 7], clock)
    program.status, program.status_since = "completed", datetime.date(2026, 11, 13)
    program.save()
    clock.set(datetime.date(2026, 11, 20), hour=12)
    alice.force_login(program.patient.user)  # the first sign-in has expired by then
    response = alice.get("/history/")
    assertContains(response, "<strong>2 of 3</strong> sessions")
    assertContains(response, "<strong>1 of 2</strong> sessions")  # none planned after the end
    assertNotContains(response, "(this week)")


def test_the_page_starts_where_the_record_does(alice, program, clock):
    do_sessions(program, [2], clock)  # the plan starts Monday 2 November
    clock.set(datetime.date(2026, 11, 10), hour=12)
    response = alice.get("/history/")
    assertContains(response, "2 Nov 2026 to 10 Nov 2026")
