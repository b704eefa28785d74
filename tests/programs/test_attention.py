"""Needs attention, the patient hub, reviews and progressions: what the therapist sees and does."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from programs import services
from programs.models import Prescription, Program, SetLog, SignalReview
from tests.conftest import make_exercise, make_patient, make_program, prescribe

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def ago(days):
    return TODAY() - datetime.timedelta(days=days)


@pytest.fixture
def curl(db):
    return make_exercise(slug="curl", name="Standing hamstring curl")


def plan_for(therapist, curl, name, *, started=20, status="active", reps="10", effort=5):
    email = f"{name.split()[0].lower()}@example.test"
    patient = make_patient(therapist, name, email)
    program = make_program(patient, start_date=ago(started), weeks=8, status=status)
    prescribe(program, curl, sets=2, reps=reps, effort=effort, frequency="daily", frequency_count=1)
    return program


def log(program, day, *, pain=2, effort=4, morning=None, stop=None, skip=None):
    """One finished session on day: every set done, unless told to stop or skip."""
    (planned,) = program.planned_sessions(day, day)
    session = services.start_session(planned)
    for step in session.set_logs.order_by("position"):
        if stop is not None:
            services.stop_exercise(session, step, stop)
            break
        if skip:
            services.skip_step(session, step.pk, skip)
        else:
            services.complete_step(session, step.pk, reps_done=10)
    services.finish_session(session, pain_during=pain, effort=effort)
    if morning is not None:
        services.save_next_morning_pain(session, morning)
    return session


def daily(program, days, **fields):
    return [log(program, ago(n), **fields) for n in days]


def test_needs_attention_shows_the_right_patients_for_the_right_reasons(
    therapist, therapist_client, curl, colleague
):
    stopped = plan_for(therapist, curl, "Stella Stop")
    daily(stopped, [3, 2], pain=2)
    log(stopped, ago(1), stop=6, pain=5)
    sore = plan_for(therapist, curl, "Paula Pain")
    daily(sore, [3, 2, 1], pain=3)
    log(sore, ago(0), pain=7)
    fine = plan_for(therapist, curl, "Fiona Fine")
    daily(fine, [3, 2, 1], pain=5, morning=1)  # at the ceiling: allowed
    away = plan_for(therapist, curl, "Alan Away")
    daily(away, [12, 11, 10, 9, 8])
    paused = plan_for(therapist, curl, "Pat Paused", status="paused")
    Program.objects.filter(pk=paused.pk).update(status_since=ago(15))
    other = plan_for(colleague, curl, "Olga Other")
    log(other, ago(1), stop=8)

    page = therapist_client.get("/admin/")
    rows = page.context["rows"]
    names = [row.patient.name for row in rows]
    assert names == ["Paula Pain", "Stella Stop", "Alan Away"]
    assert [s.kind for s in rows[1].signals] == ["stop"]
    assertContains(
        page, "Stopped Standing hamstring curl (set 1) with pain 6/10, above the ceiling"
    )
    assertContains(page, "Pain 7/10 during the session, above the ceiling of 5.")
    assertContains(page, "No session since")
    assertNotContains(page, "Olga Other")
    assertNotContains(page, "Fiona Fine")
    assertNotContains(page, "Pat Paused")


def queries(client, url):
    """Queries for one GET of url (after a first request that settles the sign-in session)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_attention_list_costs_the_same_queries_for_more_patients(
    therapist, therapist_client, curl
):
    for n in range(2):
        log(plan_for(therapist, curl, f"Small{n} Patient"), ago(1), stop=6)
    small = queries(therapist_client, "/admin/")
    for n in range(6):
        program = plan_for(therapist, curl, f"Large{n} Patient")
        daily(program, [4, 3, 2], pain=6)
        log(program, ago(1), stop=7)
    assert queries(therapist_client, "/admin/") == small


def test_clinic_staff_see_no_attention_list(client, django_user_model):
    staff = django_user_model.objects.create_user("stella-staff", is_staff=True)
    staff.groups.add(Group.objects.get(name="Clinic staff"))
    client.force_login(staff)
    assertNotContains(client.get("/admin/"), "Needs attention")


def test_a_reviewed_signal_leaves_the_list_and_stays_in_the_record(
    therapist, therapist_client, curl
):
    program = plan_for(therapist, curl, "Stella Stop")
    session = log(program, ago(1), stop=6)
    stop = session.set_logs.get(status=SetLog.Status.STOPPED)
    url = f"/admin/programs/patient/{program.patient_id}/signals/review/"
    assert therapist_client.get(url).status_code == 405
    response = therapist_client.post(url, {"key": f"stop:{stop.pk}", "note": "Called: settled."})
    assert response.status_code == 302
    review = SignalReview.objects.get()
    assert (review.kind, review.reviewed_by, review.note) == ("stop", therapist, "Called: settled.")
    assertNotContains(therapist_client.get("/admin/"), "Stella Stop")
    hub = therapist_client.get(f"/admin/programs/patient/{program.patient_id}/change/")
    assertContains(hub, "Reviewed signals")
    assertContains(hub, "Called: settled.")
    therapist_client.post(url, {"key": f"stop:{stop.pk}"})
    assert SignalReview.objects.count() == 1


def test_a_forged_signal_key_records_nothing(therapist, therapist_client, curl):
    program = plan_for(therapist, curl, "Stella Stop")
    url = f"/admin/programs/patient/{program.patient_id}/signals/review/"
    therapist_client.post(url, {"key": "stop:999999"})
    assert not SignalReview.objects.exists()


def test_the_hub_costs_the_same_queries_for_a_longer_record(therapist, therapist_client, curl):
    program = plan_for(therapist, curl, "Hana Hub", started=40)
    daily(program, [2, 1])
    url = f"/admin/programs/patient/{program.patient_id}/change/"
    small = queries(therapist_client, url)
    daily(program, range(30, 3, -1), pain=6, morning=6)
    log(program, ago(0), stop=5)
    assert queries(therapist_client, url) == small
    page = therapist_client.get(url)
    for text in ["Open signals", "Last sessions", "Adherence by week", "Pain and effort over time"]:
        assertContains(page, text)


def test_a_progression_applies_in_one_action_and_leaves_the_past_alone(
    therapist, therapist_client, curl
):
    program = plan_for(therapist, curl, "Priya Progress", started=10, reps="8-10")
    daily(program, [9, 8, 7, 6, 5, 4, 3, 2, 1], pain=1, effort=4, morning=0)
    row = program.prescriptions.get()
    before = list(SetLog.objects.values_list("pk", "target_reps_low", "target_reps_high"))
    hub = therapist_client.get(f"/admin/programs/patient/{program.patient_id}/change/")
    assertContains(hub, "Review and apply")
    url = f"/admin/programs/patient/{program.patient_id}/progression/{row.pk}/"
    page = therapist_client.get(url)
    form = page.context["form"]
    assert (form["reps"].value(), form["from_week"].value()) == ("10-12", 3)
    data = {"from_week": 3, "sets": 3, "reps": "10-12", "effort": 5}
    assert therapist_client.post(url, data).status_code == 302
    rows = list(
        program.prescriptions.order_by("week_from").values_list(
            "week_from", "week_to", "sets", "reps"
        )
    )
    assert rows == [(1, 2, 2, "8-10"), (3, None, 3, "10-12")]
    assert list(SetLog.objects.values_list("pk", "target_reps_low", "target_reps_high")) == before


def test_a_progression_after_the_plan_ends_is_refused(therapist, therapist_client, curl):
    program = plan_for(therapist, curl, "Priya Progress", started=10)
    row = program.prescriptions.get()
    url = f"/admin/programs/patient/{program.patient_id}/progression/{row.pk}/"
    response = therapist_client.post(url, {"from_week": 9, "sets": 2, "reps": "12"})
    assertContains(response, "The plan ends in week 8")
    assert Prescription.objects.count() == 1


def test_the_sessions_list_shows_stops_and_pain_above_the_ceiling(
    therapist, therapist_client, curl, colleague
):
    program = plan_for(therapist, curl, "Stella Stop")
    log(program, ago(1), stop=6, pain=7)
    other = plan_for(colleague, curl, "Olga Other")
    log(other, ago(1))
    page = therapist_client.get("/admin/programs/exercisesession/")
    assertContains(page, "Stella Stop")
    assertNotContains(page, "Olga Other")  # "My patients" is the default
    assertContains(page, "Pain above ceiling")
    assertContains(page, 'class="field-stops">1<')


def test_the_therapist_prints_the_patients_handout(therapist, therapist_client, curl):
    program = plan_for(therapist, curl, "Hana Handout")
    page = therapist_client.get(f"/admin/programs/patient/{program.patient_id}/handout/")
    assertContains(page, "Standing hamstring curl")
    assertContains(page, "Hana Handout")
    hub = therapist_client.get(f"/admin/programs/patient/{program.patient_id}/change/")
    assertContains(hub, f'href="/admin/programs/patient/{program.patient_id}/handout/"')


def test_no_handout_for_another_team(therapist_client, curl, colleague):
    other = plan_for(colleague, curl, "Olga Other")
    url = f"/admin/programs/patient/{other.patient_id}/handout/"
    assert therapist_client.get(url).status_code == 404
