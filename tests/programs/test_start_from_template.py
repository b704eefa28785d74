"""“Start for a patient…”: what it ends, when it starts, and the leg a one-leg template needs."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from exercises.models import Exercise
from programs.models import Program
from tests.conftest import MONDAY, days, make_program, prescribe, start

pytestmark = pytest.mark.django_db
ASKLING, STARTER = "askling-l-protocol-2013", "tight-hamstrings-starter"


@pytest.fixture
def program(protocols, patient):
    """Alice's current plan, on the shipped library: the Nordic curl three times a week."""
    plan = make_program(patient)
    prescribe(plan, Exercise.objects.get(slug="nordic-hamstring-curl"))
    return plan


@pytest.fixture
def session(program, clock):
    return start(program)


def action(client, slug, **fields):
    data = {
        "action": "start_for_patient",
        "_selected_action": str(Program.objects.get(slug=slug).pk),
    }
    if fields:
        data |= {"apply": "1", "status": "active", "start_date": MONDAY.isoformat(), **fields}
    return client.post("/admin/programs/program/", data)


def test_the_start_date_defaults_to_today(therapist_client, protocols):
    form = action(therapist_client, STARTER).context["form"]
    assert form["start_date"].value() == MONDAY  # the test clock's today
    assert "end_current" in form.fields


def test_it_names_the_plan_it_would_end_and_starts_only_when_told(
    therapist_client, protocols, program
):
    patient = program.patient
    response = action(therapist_client, STARTER, patient=str(patient.pk))
    assert response.status_code == 200
    assertContains(response, "Alice Patient already has an active plan, “Tight hamstrings”")
    assertContains(response, "Starting this plan ends “Tight hamstrings” (from 2 Nov 2026) today")
    assertContains(response, "would stay as it is: unfinished, and not moved to the new plan")
    assertContains(response, 'name="end_current"')
    assert patient.programs.count() == 1

    response = action(therapist_client, STARTER, patient=str(patient.pk), end_current="on")
    new = patient.programs.get(template__slug=STARTER)
    assertRedirects(response, f"/admin/programs/program/{new.pk}/change/")
    program.refresh_from_db()
    assert (program.status, new.status) == ("completed", "active")
    (message,) = response.wsgi_request._messages
    assert "“Tight hamstrings” is now completed." in str(message)


def test_it_says_that_todays_unfinished_session_stays_as_it_is(
    therapist_client, protocols, session
):
    patient = session.program.patient
    response = action(therapist_client, STARTER, patient=str(patient.pk))
    assertContains(response, "session on it and has not finished it: that session stays as it is")
    assertContains(response, "start the new plan tomorrow")


def test_the_new_plan_starts_on_the_chosen_day(therapist_client, protocols, program):
    later = MONDAY + days(14)
    patient = program.patient
    fields = {"patient": str(patient.pk), "start_date": later.isoformat()}
    assertContains(
        action(therapist_client, STARTER, **fields),
        "Alice Patient has no sessions from today until Mon 16 Nov 2026.",
    )
    action(therapist_client, STARTER, end_current="on", **fields)
    assert patient.programs.get(template__slug=STARTER).start_date == later


def test_a_draft_ends_nothing_and_asks_nothing(therapist_client, protocols, program):
    response = action(therapist_client, STARTER, patient=str(program.patient.pk), status="draft")
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == "active"


def test_a_patient_without_a_plan_is_started_at_once(therapist_client, protocols, cara):
    response = action(therapist_client, STARTER, patient=str(cara.pk))
    assert response.status_code == 302
    assert cara.programs.get().status == "active"


def test_the_askling_template_asks_for_the_injured_leg(therapist_client, protocols, cara):
    assertNotContains(action(therapist_client, STARTER), 'name="leg"')
    assertContains(action(therapist_client, ASKLING), "Injured leg")

    response = action(therapist_client, ASKLING, patient=str(cara.pk))
    assert response.context["form"].errors == {"leg": ["This field is required."]}

    action(therapist_client, ASKLING, patient=str(cara.pk), leg="left")
    plan = cara.programs.get()
    assert set(plan.prescriptions.values_list("side", flat=True)) == {"left"}
    assert [p.dose_text for p in plan.prescriptions.all()] == [
        "3 sets of 12 reps (left leg) · bodyweight · twice a day",
        "3 sets of 6 reps (left leg) · bodyweight · every other day",
        "3 sets of 4 reps (left leg) · bodyweight · every 3 days",
    ]
    for row in plan.prescriptions.all():
        row.full_clean()  # a plan's one-leg rows name their leg
    template = Program.objects.get(slug=ASKLING)
    assert set(template.prescriptions.values_list("side", flat=True)) == {"both"}


def test_a_session_on_the_new_plan_runs_the_injured_leg_only(therapist_client, protocols, cara):
    action(therapist_client, ASKLING, patient=str(cara.pk), leg="right")
    session = start(cara.programs.get())
    assert set(session.set_logs.values_list("side", flat=True)) == {"right"}
