import pytest
from pytest_django.asserts import assertContains, assertNotContains

from programs.models import SetLog
from tests.conftest import HTMX, MONDAY, days, make_exercise, make_program, prescribe, start

pytestmark = pytest.mark.django_db


def complete_url(step, action="complete"):
    return f"/sessions/{step.session_id}/steps/{step.pk}/{action}/"


def test_it_marks_the_step_done_and_redirects(alice, step):
    response = alice.post(complete_url(step), {"reps_done": "8"})
    assert response.status_code == 303
    assert response["Location"] == f"/sessions/{step.session_id}/#session-progress"
    step.refresh_from_db()
    assert (step.status, step.reps_done, step.load_used) == ("done", 8, "bodyweight")


def test_it_returns_the_next_step_for_htmx(alice, step):
    response = alice.post(complete_url(step), {"reps_done": "10"}, headers=HTMX)
    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, 'id="step-card"')
    assertContains(response, "Set 2 of 3")
    assertContains(
        response, 'id="session-progress" class="session-progress" hx-swap-oob="innerHTML"'
    )
    assertContains(response, "Step 2 of 3")
    assertContains(response, 'data-rest-after="60"')


def test_a_set_posted_twice_is_logged_once(alice, step):
    alice.post(complete_url(step), {"reps_done": "9"}, headers=HTMX)
    response = alice.post(complete_url(step), {"reps_done": "3"}, headers=HTMX)
    assert response.status_code == 200
    assert SetLog.objects.filter(status="done").count() == 1
    step.refresh_from_db()
    assert step.reps_done == 9


def test_it_rerenders_errors_with_200_under_htmx(alice, step):
    response = alice.post(complete_url(step), {"reps_done": "-1"}, headers=HTMX)
    assert response.status_code == 200
    assertContains(response, 'id="step-card"')
    assertContains(response, "greater than or equal to 0")
    step.refresh_from_db()
    assert step.status == "pending"


def test_it_keeps_the_load_used(alice, program, session):
    session.delete()
    program.prescriptions.update(load_kind="kg", load_amount=8)
    step = start(program).set_logs.first()
    alice.post(complete_url(step), {"reps_done": "10", "load_used": "6 kg"})
    step.refresh_from_db()
    assert step.load_used == "6 kg"


def test_it_logs_seconds_for_a_hold(alice, program, session):
    session.delete()
    for row in program.prescriptions.all():
        row.reps, row.hold_seconds = "", 30
        row.save()
    step = start(program).set_logs.first()
    alice.post(complete_url(step), {"seconds_done": "25"})
    step.refresh_from_db()
    assert (step.seconds_done, step.reps_done) == (25, None)


def test_it_404s_for_a_step_of_another_session(alice, step, program, clock):
    clock.set(MONDAY + days(2))
    other = start(program, MONDAY + days(2))
    response = alice.post(f"/sessions/{other.pk}/steps/{step.pk}/complete/", {"reps_done": "1"})
    assert response.status_code == 404


def test_it_404s_for_another_patient(client, other_patient, step):
    client.force_login(other_patient.user)
    assert client.post(complete_url(step), {"reps_done": "10"}).status_code == 404
    step.refresh_from_db()
    assert step.status == "pending"


def test_it_rejects_get(alice, step):
    assert alice.get(complete_url(step)).status_code == 405
    assert alice.get(complete_url(step, "skip")).status_code == 405


def test_it_sends_anonymous_to_sign_in(client, step):
    assert client.post(complete_url(step), {"reps_done": "10"})["Location"].startswith(
        "/accounts/login/"
    )


def test_skip_keeps_the_reason(alice, step):
    response = alice.post(complete_url(step, "skip"), {"reason": "No time"}, headers=HTMX)
    assertContains(response, "Set 2 of 3")
    step.refresh_from_db()
    assert (step.status, step.skip_reason) == ("skipped", "No time")


@pytest.mark.parametrize("data", [{"reason": "bored"}, {}, {"other": "my knee"}])
def test_skip_needs_a_reason_the_patient_chose(alice, step, data):
    response = alice.post(complete_url(step, "skip"), data, headers=HTMX)
    assert response.status_code == 200
    assertContains(response, "Choose why you are skipping it.")
    assertContains(response, '<details class="skip" open>')
    step.refresh_from_db()
    assert step.status == "pending"


def test_no_skip_reason_is_chosen_for_the_patient(alice, step):
    response = alice.get(f"/sessions/{step.session_id}/")
    skip = response.content.decode().split('class="skip"')[1].split("</details>")[0]
    assert skip.count('type="radio"') == 5 and "checked" not in skip
    assert 'name="other"' in skip  # "Another reason" has a text box


def test_another_reason_keeps_the_patients_words(alice, step):
    data = {"reason": "Other", "other": "  My knee was stiff "}
    alice.post(complete_url(step, "skip"), data, headers=HTMX)
    step.refresh_from_db()
    assert (step.status, step.skip_reason) == ("skipped", "Other: My knee was stiff")


def test_stop_asks_for_the_pain(alice, step):
    response = alice.get(complete_url(step, "stop"), headers=HTMX)
    assertNotContains(response, "<html")
    assertContains(response, "How much does it hurt right now?")
    assertContains(response, "<legend>")
    assertContains(alice.get(complete_url(step, "stop")), "<html")


def test_one_stop_is_one_event_then_the_patient_chooses(alice, program, session, step):
    bridge = make_exercise(slug="bridge", name="Bridge", kind="eccentric", position="lying")
    prescribe(program, bridge, sets=1, order=5)
    session.delete()
    session = start(program)
    step = session.set_logs.first()
    response = alice.post(complete_url(step, "stop"), {"pain": "6"}, headers=HTMX)
    assertContains(response, "We stopped Standing hamstring curl")
    assertContains(response, "Carry on with Bridge")
    assertContains(response, "Stop for today")
    assertContains(response, 'href="tel:+15550100"')
    assert list(session.set_logs.values_list("status", "pain", "skip_reason")) == [
        ("stopped", 6, ""),
        ("skipped", None, "Stopped: it hurt"),
        ("skipped", None, "Stopped: it hurt"),
        ("pending", None, ""),
    ]
    response = alice.post(f"/sessions/{session.pk}/stop-today/", headers=HTMX)
    assertContains(response, "Last step: how did it go?")
    assert session.set_logs.get(exercise=bridge).skip_reason == "Stopped for today"
    alice.post(f"/sessions/{session.pk}/finish/", {"pain_during": "6", "effort": "4"})
    summary = alice.get(f"/sessions/{session.pk}/")
    assertContains(summary, "What happens next")
    assertContains(summary, "and that you stopped for today")
    assertContains(summary, "Stopped because it hurt")


def test_stop_without_js_redirects_with_a_message(alice, step):
    response = alice.post(complete_url(step, "stop"), {"pain": "4"}, follow=True)
    assertContains(response, "We stopped Standing hamstring curl")
    assertContains(response, "Finish session")  # nothing left to carry on with


def test_stop_needs_a_pain_number(alice, step):
    response = alice.post(complete_url(step, "stop"), {"pain": "11"}, headers=HTMX)
    assertContains(response, "Choose a number from 0 to 10.")
    step.refresh_from_db()
    assert step.status == "pending"


def test_rest_follows_a_set_not_the_switch_to_the_other_leg(alice, patient):
    program = make_program(patient, title="Each leg")
    prescribe(program, make_exercise(slug="rdl", name="Single-leg RDL"), side="each", sets=2)
    session = start(program)
    left, right, next_left = list(session.set_logs.all())[:3]
    response = alice.post(complete_url(left), {"reps_done": "10"}, headers=HTMX)
    assertContains(response, 'data-rest-after="0"')  # now the right leg of set 1
    response = alice.post(complete_url(right), {"reps_done": "10"}, headers=HTMX)
    assertContains(response, 'data-rest-after="60"')  # set 2 comes after a rest
    assert (next_left.set_number, next_left.side) == (2, "left")
