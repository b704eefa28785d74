import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs import services
from programs.models import ExerciseSession, Program
from tests.conftest import MONDAY, days, make_exercise, make_program, prescribe, start

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_to_sign_in(client):
    assertRedirects(client.get("/"), "/accounts/login/?next=/")


def test_it_sends_staff_to_the_admin(client, therapist):
    client.force_login(therapist)
    assert client.get("/")["Location"] == "/admin/"


def test_it_is_kind_without_a_program(alice, patient):
    Program.objects.filter(patient=patient).delete()
    assertContains(alice.get("/"), "Your plan is on its way")


def test_it_shows_the_session_due_today(alice, program):
    response = alice.get("/")
    assertContains(response, "Today's session")
    assertContains(response, "Standing hamstring curl")
    assertContains(response, "3 sets of 10 reps")
    assertContains(response, 'href="/library/standing-hamstring-curl/"')
    assertContains(response, "Start session")
    assertContains(response, "0 of 3 sessions done this week")
    assertContains(response, "Your next session is on <strong>Wednesday 4 November</strong>")


def finish(client, clock, *dates):
    """Start (as the patient does, on any day) and finish a session on each date."""
    for day in dates:
        clock.set(day)
        client.post("/sessions/start/", {"slot": "1"})
        session = ExerciseSession.objects.get(date=day, slot=1)
        services.finish_session(session, pain_during=2, effort=4)


def test_it_shows_a_rest_day_and_the_next_session(alice, program, clock):
    finish(alice, clock, MONDAY, MONDAY + days(1), MONDAY + days(2))
    clock.set(MONDAY + days(3))
    response = alice.get("/")
    assertContains(response, "This week's sessions are done")
    assertNotContains(response, "Start session")
    assertContains(response, "Your next session is on <strong>Monday 9 November</strong>")
    assertContains(response, "3 of 3 sessions done this week")


def test_a_plan_with_only_fixed_days_has_plain_rest_days(alice, patient, exercise, clock):
    Program.objects.filter(patient=patient).delete()
    program = make_program(patient)
    prescribe(program, exercise, frequency="weekdays", weekdays="0,3")
    clock.set(MONDAY + days(1))
    response = alice.get("/")
    assertContains(response, "Rest day")
    assertContains(response, "Your next session is on <strong>Thursday 5 November</strong>")
    assert alice.post("/sessions/start/", {"slot": "1"}).status_code == 404


def test_sessions_a_week_can_be_done_on_any_day(alice, program, clock):
    clock.set(MONDAY + days(1))  # Tuesday: not one of the spread days (Mon, Wed, Fri)
    response = alice.get("/")
    assertContains(response, "Start session")
    assertContains(response, "Your plan has 3 sessions a week. Do them on any days you like")
    assert alice.post("/sessions/start/", {"slot": "1"}).status_code == 302
    assert ExerciseSession.objects.get().date == MONDAY + days(1)


def test_a_three_a_week_plan_started_wednesday_runs_on_thursday(alice, patient, exercise, clock):
    Program.objects.filter(patient=patient).delete()
    wednesday = MONDAY + days(2)
    program = make_program(patient, start_date=wednesday)
    prescribe(program, exercise, frequency="per_week", frequency_count=3)
    finish(alice, clock, wednesday)
    clock.set(wednesday + days(1))
    assertContains(alice.get("/"), "Start session")
    response = alice.post("/sessions/start/", {"slot": "1"})
    session = ExerciseSession.objects.get(date=wednesday + days(1))
    assertRedirects(response, f"/sessions/{session.pk}/")
    assert session.set_logs.count() == 3
    assertContains(alice.get("/"), "1 of 3 sessions done this week")


def test_a_week_that_is_done_refuses_another_session(alice, program, clock):
    finish(alice, clock, MONDAY, MONDAY + days(1), MONDAY + days(2))
    clock.set(MONDAY + days(4))  # Friday, a spread day: the week's three are done
    assert alice.post("/sessions/start/", {"slot": "1"}).status_code == 404
    clock.set(MONDAY + days(7))
    alice.force_login(program.patient.user)
    assertContains(alice.get("/"), "Start session")


def test_it_offers_resume_and_counts_finished_sessions(alice, program, clock):
    clock.set(MONDAY + days(2))
    monday = start(program, MONDAY)
    services.finish_session(monday, pain_during=2, effort=4)
    session = start(program, MONDAY + days(2))
    response = alice.get("/")
    assertContains(response, "Carry on where you left off")
    assertContains(response, f'href="/sessions/{session.pk}/"')
    assertContains(response, "1 of 3 sessions done this week")


def test_it_shows_each_slot_of_a_twice_daily_program(alice, patient, exercise, clock):
    Program.objects.filter(patient=patient).delete()
    program = make_program(patient)
    prescribe(program, exercise, frequency="daily", frequency_count=2)
    response = alice.get("/")
    assertContains(response, "Session 1 of 2")
    assertContains(response, "Start session 2")
    assertContains(response, "Today: 0 of 2 sessions done")
    finish(alice, clock, MONDAY)
    response = alice.get("/")
    assertContains(response, "Today: 1 of 2 sessions done")
    assertNotContains(response, "of 14 sessions")


def test_start_creates_the_session_and_redirects(alice, program):
    response = alice.post("/sessions/start/", {"slot": "1"})
    session = ExerciseSession.objects.get()
    assertRedirects(response, f"/sessions/{session.pk}/")
    assert session.set_logs.count() == 3
    alice.post("/sessions/start/", {"slot": "1"})
    assert ExerciseSession.objects.count() == 1


def test_start_rejects_get(alice, program):
    assert alice.get("/sessions/start/").status_code == 405


@pytest.fixture
def finished_monday(program, clock):
    clock.set(MONDAY, hour=10)
    session = start(program)
    services.finish_session(session, pain_during=3, effort=5)
    return session


def test_checkin_appears_the_next_morning(alice, finished_monday, clock):
    clock.set(MONDAY, hour=12)
    assertNotContains(alice.get("/"), "Quick check-in")
    clock.set(datetime.date(2026, 11, 3), hour=8)
    response = alice.get("/")
    assertContains(response, "How does your hamstring feel this morning?")
    assertContains(response, "Worst pain you can imagine")


def test_checkin_saves_the_pain(alice, finished_monday, clock):
    clock.set(datetime.date(2026, 11, 3), hour=8)
    response = alice.post("/checkin/", {"session": finished_monday.pk, "pain": "1"})
    assertRedirects(response, "/")
    finished_monday.refresh_from_db()
    assert finished_monday.next_morning_pain == 1
    assertNotContains(alice.get("/"), "Quick check-in")


def test_checkin_rejects_a_bad_value(alice, finished_monday, clock):
    clock.set(datetime.date(2026, 11, 3), hour=8)
    alice.post("/checkin/", {"session": finished_monday.pk, "pain": "11"})
    finished_monday.refresh_from_db()
    assert finished_monday.next_morning_pain is None


def test_checkin_404s_for_another_patients_session(client, other_patient, finished_monday):
    client.force_login(other_patient.user)
    response = client.post("/checkin/", {"session": finished_monday.pk, "pain": "1"})
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_query_count_is_flat(alice, program, clock, django_assert_num_queries, extra):
    clock.set(MONDAY + days(2))
    for n in range(extra):
        ex = make_exercise(slug=f"ex-{n}", name=f"Exercise {n}")
        prescribe(program, ex, order=n + 1)
    monday = start(program, MONDAY)
    services.finish_session(monday, pain_during=2, effort=4)
    start(program, MONDAY + days(2))
    # 9, the questionnaires waiting, the audit entry, the week's sessions done on other days
    with django_assert_num_queries(12):
        assert alice.get("/").status_code == 200


# Which plan, and plans that are not simply running ---------------------------------------


def test_a_plan_that_starts_later_shows_a_preview(alice, program, clock):
    clock.set(datetime.date(2026, 10, 28))
    response = alice.get("/")
    assertContains(response, "Your plan starts on <strong>Monday 2 November</strong>")
    assertContains(response, "Standing hamstring curl")
    assertContains(response, "3 sets of 10 reps")
    assertNotContains(response, "Start session")
    assertNotContains(response, "This week")
    assert alice.post("/sessions/start/", {"slot": "1"}).status_code == 404


def test_a_running_plan_wins_over_a_newer_completed_one(alice, program, exercise):
    done = make_program(
        program.patient,
        title="Old block",
        start_date=datetime.date(2026, 9, 1),
        status=Program.Status.COMPLETED,
        status_since=MONDAY,
    )
    prescribe(done, exercise)
    assertContains(alice.get("/"), "Start session")
    assertContains(alice.get("/program/"), "My plan: Tight hamstrings")


def test_the_latest_of_two_ended_plans_is_shown(alice, program, exercise, clock):
    clock.set(datetime.date(2026, 11, 20))
    alice.force_login(program.patient.user)  # the first sign-in has expired by then
    program.status, program.status_since = Program.Status.PAUSED, datetime.date(2026, 11, 16)
    program.save()
    make_program(
        program.patient,
        title="Old block",
        start_date=datetime.date(2026, 9, 1),
        status=Program.Status.COMPLETED,
        status_since=datetime.date(2026, 10, 1),
    )
    assertContains(alice.get("/"), "Your plan is paused since 16 November 2026.")
    assertContains(alice.get("/program/"), "My plan: Tight hamstrings")


def test_a_paused_plan_says_so(alice, program, clock):
    clock.set(datetime.date(2026, 11, 10))
    program.status, program.status_since = Program.Status.PAUSED, datetime.date(2026, 11, 6)
    program.save()
    response = alice.get("/")
    assertContains(
        response,
        "Your plan is paused since 6 November 2026. "
        "Your therapist will tell you when to start again.",
    )
    assertNotContains(response, "Start session")
    assertNotContains(response, "This week")
    assertContains(alice.get("/program/"), "Paused since 6 November 2026.")
    assert alice.post("/sessions/start/", {"slot": "1"}).status_code == 404


def test_a_completed_plan_says_well_done(alice, program, clock):
    clock.set(datetime.date(2026, 11, 20))
    alice.force_login(program.patient.user)  # the first sign-in has expired by then
    program.status, program.status_since = Program.Status.COMPLETED, datetime.date(2026, 11, 18)
    program.save()
    response = alice.get("/")
    assertContains(response, "Your plan finished on 18 November 2026. Well done.")
    assertContains(response, 'href="/history/"')
    assertNotContains(response, "Start session")


def test_an_active_plan_whose_weeks_are_over_has_finished(alice, program, clock):
    clock.set(datetime.date(2026, 12, 20))
    alice.force_login(program.patient.user)  # the first sign-in has expired by then
    response = alice.get("/")
    assertContains(response, "Your plan finished on 13 December 2026. Well done.")
    assertNotContains(response, "This week")
    assertNotContains(response, "Week 1")
    assertContains(alice.get("/program/"), "Finished on 13 December 2026.")


def test_an_upcoming_plan_wins_over_a_completed_one(alice, program, exercise, clock):
    clock.set(datetime.date(2026, 11, 20))
    alice.force_login(program.patient.user)  # the first sign-in has expired by then
    program.status, program.status_since = Program.Status.COMPLETED, datetime.date(2026, 11, 18)
    program.save()
    nxt = make_program(program.patient, title="Next block", start_date=datetime.date(2026, 11, 23))
    prescribe(nxt, exercise)
    assertContains(alice.get("/"), "Your plan starts on <strong>Monday 23 November</strong>")
    assertContains(alice.get("/program/"), "My plan: Next block")


def test_a_draft_is_never_shown(alice, program):
    program.status = Program.Status.DRAFT
    program.save()
    assertContains(alice.get("/"), "Your plan is on its way")
