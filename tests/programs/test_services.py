import pytest
from django.contrib.auth import get_user_model

from programs import services
from programs.models import ExerciseSession, SetLog, SigninLink
from tests.conftest import MONDAY, days, make_exercise, prescribe, start

pytestmark = pytest.mark.django_db


def test_it_freezes_one_step_per_set_and_side(program, clock):
    glide = make_exercise(slug="floss", name="Floss", kind="nerve_glide", position="lying")
    prescribe(program, glide, sets=2, reps="", hold_seconds=20, side="each", order=1, tempo="")
    session = start(program)
    steps = list(session.set_logs.all())
    assert len(steps) == 3 + 4
    assert [s.position for s in steps] == list(range(1, 8))
    first, glide_steps = steps[0], steps[3:]
    assert (first.target_reps_low, first.target_reps_high, first.set_number) == (10, 10, 1)
    assert first.dose_text.startswith("3 sets of 10 reps")
    assert [(s.set_number, s.side) for s in glide_steps] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    assert glide_steps[0].is_hold and glide_steps[0].target_seconds == 20
    assert glide_steps[0].pain_ceiling == 2  # nerve glides default to 2/10
    assert {s.status for s in steps} == {"pending"}


def test_starting_twice_gives_the_same_session(program, clock):
    assert start(program) == start(program)
    assert ExerciseSession.objects.count() == 1
    assert SetLog.objects.count() == 3


def test_complete_step_logs_once(session):
    step = session.set_logs.first()
    assert services.complete_step(session, step.pk, reps_done=9, load_used="bodyweight")
    assert not services.complete_step(session, step.pk, reps_done=4)
    step.refresh_from_db()
    assert (step.status, step.reps_done, step.logged_at is not None) == ("done", 9, True)


def test_complete_step_ignores_other_sessions(session, program, clock):
    clock.set(MONDAY + days(2))
    other = start(program, MONDAY + days(2))
    assert not services.complete_step(other, session.set_logs.first().pk, reps_done=9)


def test_skip_step_keeps_the_reason(session):
    step = session.set_logs.first()
    assert services.skip_step(session, step.pk, "No time")
    step.refresh_from_db()
    assert (step.status, step.skip_reason) == ("skipped", "No time")


def test_a_stop_is_one_event_and_the_rest_of_that_exercise_is_not_done(session, program):
    other = make_exercise(slug="bridge", name="Bridge", kind="eccentric", position="lying")
    prescribe(program, other, sets=1, order=5)
    SetLog.objects.create(session=session, position=9, exercise=other, set_number=1, sets_total=1)
    first = session.set_logs.first()
    services.complete_step(session, first.pk, reps_done=10)
    assert services.stop_exercise(session, session.set_logs.get(position=2), pain=6)
    assert not services.stop_exercise(session, session.set_logs.get(position=2), pain=7)
    statuses = dict(session.set_logs.values_list("position", "status"))
    assert statuses == {1: "done", 2: "stopped", 3: "skipped", 9: "pending"}
    assert session.set_logs.get(position=2).pain == 6
    assert session.set_logs.get(position=3).pain is None


def test_finish_session_rates_it_and_skips_what_is_left(session):
    services.complete_step(session, session.set_logs.first().pk, reps_done=10)
    assert services.finish_session(session, pain_during=3, effort=5, note="Fine")
    assert not services.finish_session(session, pain_during=9, effort=9)
    session.refresh_from_db()
    assert (session.pain_during, session.effort, session.note) == (3, 5, "Fine")
    assert session.is_finished
    assert list(session.set_logs.values_list("status", flat=True)) == ["done", "skipped", "skipped"]
    assert session.set_logs.last().skip_reason == services.ENDED_EARLY


def test_next_morning_pain_is_saved_once_and_only_after_finishing(session):
    assert not services.save_next_morning_pain(session, 2)
    services.finish_session(session, pain_during=3, effort=5)
    assert services.save_next_morning_pain(session, 2)
    assert not services.save_next_morning_pain(session, 7)
    session.refresh_from_db()
    assert session.next_morning_pain == 2 and session.next_morning_at is not None


def test_redeem_creates_the_user_once(cara, therapist):
    link, token = SigninLink.issue(cara, created_by=therapist)
    user = services.redeem_signin_link(token).user
    assert user.username == "cara@example.test" and not user.has_usable_password()
    cara.refresh_from_db()
    link.refresh_from_db()
    assert cara.user == user and link.used_at is not None
    assert services.redeem_signin_link(token) == (None, "used")


def test_redeem_reuses_the_linked_user(patient):
    _, token = SigninLink.issue(patient)
    assert services.redeem_signin_link(token) == (patient.user, "")
    assert get_user_model().objects.count() == 2  # alice and theo


def test_redeem_refuses_expired_and_unknown_links(cara, clock):
    _, token = SigninLink.issue(cara)
    later = clock.now + days(8)
    assert services.redeem_signin_link(token, now=later) == (None, "expired")
    assert services.redeem_signin_link("not-a-token") == (None, "unknown")
    cara.refresh_from_db()
    assert cara.user is None


def test_redeem_never_hands_over_a_staff_account(theo_too):
    link, token = SigninLink.issue(theo_too)
    assert services.redeem_signin_link(token) == (None, "account")
    link.refresh_from_db()
    assert link.used_at is None  # still unused: the clinic can fix the account and retry
