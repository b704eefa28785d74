import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs import services
from tests.conftest import make_exercise, prescribe, start

pytestmark = pytest.mark.django_db


def url(session):
    return f"/sessions/{session.pk}/"


def test_it_shows_the_first_step(alice, session):
    response = alice.get(url(session))
    assertContains(response, "<html")
    assertContains(response, 'id="step-card"')
    assertContains(response, "Step 1 of 3")
    assertContains(response, "Set 1 of 3")
    assertContains(response, "Standing hamstring curl")
    assertContains(response, "How to do it")
    assertContains(response, 'name="reps_done" value="10"')
    assertContains(response, "Stop: this hurts")
    assertContains(response, "js/timers.js")


def test_it_returns_the_partial_for_htmx(alice, session):
    response = alice.get(url(session), headers={"HX-Request": "true"})
    assertNotContains(response, "<html")
    assertContains(response, 'id="step-card"')
    assertContains(response, 'hx-swap-oob="innerHTML"')
    assert "HX-Request" in response["Vary"]


def test_it_returns_the_full_page_for_history_restore(alice, session):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assertContains(alice.get(url(session), headers=headers), "<html")


def test_it_resumes_at_the_first_pending_step(alice, session):
    first, second = session.set_logs.all()[:2]
    services.complete_step(session, first.pk, reps_done=10)
    for _ in range(2):  # a reload, or a second tab
        response = alice.get(url(session))
        assertContains(response, "Step 2 of 3")
        assertContains(response, f"/steps/{second.pk}/complete/")


def test_it_shows_side_and_hold(alice, session, program):
    session.delete()
    glide = make_exercise(slug="floss", name="Floss", kind="nerve_glide", position="lying")
    program.prescriptions.all().delete()
    prescribe(program, glide, sets=1, reps="", hold_seconds=20, side="each", tempo="")
    session = start(program)
    response = alice.get(url(session))
    assertContains(response, "Left leg")
    assertContains(response, "Hold for <strong>20 seconds</strong>")
    assertContains(response, 'name="seconds_done" value="20"')
    assertContains(response, 'data-hold="20"')


def test_it_shows_the_finish_form_when_no_step_is_left(alice, session):
    for step in session.set_logs.all():
        services.complete_step(session, step.pk, reps_done=10)
    response = alice.get(url(session))
    assertContains(response, "Finish session")
    assertContains(response, "All 3 steps done")


def test_a_finished_session_shows_the_summary(alice, session):
    services.finish_session(session, pain_during=2, effort=4)
    response = alice.get(url(session))
    assertContains(response, "Session done")
    assertContains(response, "0 of 3")
    assertNotContains(response, 'id="step-card"')


def test_it_sends_anonymous_to_sign_in(client, session):
    assertRedirects(client.get(url(session)), f"/accounts/login/?next={url(session)}")


def test_it_404s_for_another_patient(client, other_patient, session):
    client.force_login(other_patient.user)
    assert client.get(url(session)).status_code == 404


def test_it_sends_staff_to_the_admin(client, therapist, session):
    client.force_login(therapist)
    assert client.get(url(session))["Location"] == "/admin/"


def test_query_count_is_flat(alice, session, program, django_assert_num_queries):
    alice.get(url(session))  # the first request after signing in also refreshes the session
    cache.clear()  # rendered, not read from the cache (programs/page_cache.py)
    with django_assert_num_queries(5):  # 4, and the audit entry for the read
        alice.get(url(session))
    for n in range(4):
        prescribe(program, make_exercise(slug=f"e{n}", name=f"E{n}"), order=n + 1)
    session.delete()
    bigger = start(program)
    assert bigger.set_logs.count() == 15
    with django_assert_num_queries(5):  # 4, and the audit entry for the read
        alice.get(url(bigger))
    with django_assert_num_queries(3):  # from the cache: the session, the user, the audit entry
        alice.get(url(bigger))
