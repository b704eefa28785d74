import pytest
from pytest_django.asserts import assertContains, assertNotContains

from programs import services
from tests.conftest import HTMX, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(session):
    """The first session with two sets done and the last one skipped."""
    for step in session.set_logs.all()[:2]:
        services.complete_step(session, step.pk, reps_done=10)
    services.skip_step(session, session.set_logs.last().pk, "No time")
    return session


def finish_url(session):
    return f"/sessions/{session.pk}/finish/"


def test_it_finishes_and_shows_the_summary(alice, session):
    data = {"pain_during": "2", "effort": "5", "note": "Felt good"}
    response = alice.post(finish_url(session), data)
    assert response.status_code == 303
    session.refresh_from_db()
    assert (session.pain_during, session.effort, session.note) == (2, 5, "Felt good")
    assert session.is_finished
    page = alice.get(response["Location"])
    assertContains(page, "You did <strong>2 of 3</strong> sets")
    assertContains(page, "Skipped")
    assertNotContains(page, "What happens next")


def test_it_redirects_the_client_under_htmx(alice, session):
    response = alice.post(finish_url(session), {"pain_during": "2", "effort": "5"}, headers=HTMX)
    assert response["HX-Redirect"] == f"/sessions/{session.pk}/"


def test_it_asks_to_tell_the_therapist_when_pain_went_over_the_ceiling(alice, session):
    alice.post(finish_url(session), {"pain_during": "7", "effort": "5"})
    assertContains(alice.get(f"/sessions/{session.pk}/"), "What happens next")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pain_during": "11", "effort": "5"},
        {"pain_during": "-1", "effort": "5"},
        {"pain_during": "3"},
    ],
)
def test_it_validates_and_saves_nothing(alice, session, data):
    response = alice.post(finish_url(session), data, headers=HTMX)
    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, "Choose a number from 0 to 10.")
    session.refresh_from_db()
    assert not session.is_finished and session.pain_during is None


def test_it_shows_errors_on_the_page_without_js(alice, session):
    response = alice.post(finish_url(session), {"effort": "5"})
    assert response.status_code == 200
    assertContains(response, "<html")
    assertContains(response, "Choose a number from 0 to 10.")


def test_finishing_twice_keeps_the_first_answers(alice, session):
    alice.post(finish_url(session), {"pain_during": "2", "effort": "5"})
    alice.post(finish_url(session), {"pain_during": "9", "effort": "9"})
    session.refresh_from_db()
    assert (session.pain_during, session.effort) == (2, 5)


def test_it_404s_for_another_patient_and_rejects_get(client, other_patient, alice, session):
    assert alice.get(finish_url(session)).status_code == 405
    client.force_login(other_patient.user)
    assert client.post(finish_url(session), {"pain_during": "2", "effort": "5"}).status_code == 404


def test_the_summary_tells_a_stop_from_a_skip(alice, program, clock):
    program.prescriptions.update(side="each")
    session = start(program, slot=1)
    first, second = session.set_logs.order_by("position")[:2]
    services.skip_step(session, first.pk, "No time")
    alice.post(f"/sessions/{session.pk}/steps/{second.pk}/stop/", {"pain": "6"})
    alice.post(finish_url(session), {"pain_during": "3", "effort": "4"})
    page = alice.get(f"/sessions/{session.pk}/")
    assertContains(page, "You did <strong>0 of 6</strong> sets")
    assertContains(page, "<dt>Skipped</dt><dd>1 set</dd>", html=False)
    assertContains(page, "<dd>Standing hamstring curl: set 1, right leg</dd>")
    assertContains(page, "<dt>Not done today</dt><dd>4 sets</dd>")
    assertNotContains(page, "it hurt 4")
