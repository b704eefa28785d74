"""Therapists record outcome measures and ask for questionnaires in the admin; the patient panel."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from pytest_django.asserts import assertContains, assertNotContains

from programs.admin.outcomes import outcomes_context
from programs.models import OutcomeMeasure, OutcomeRequest
from tests.conftest import make_patient

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)


@pytest.fixture
def theo_client(client, therapist):
    therapist.groups.add(Group.objects.get(name="Therapists"))
    client.force_login(therapist)
    return client


def lefs(patient, day, answers, **fields):
    return OutcomeMeasure.objects.create(
        patient=patient, kind="lefs", date=day, answers=answers, **fields
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programs/outcomemeasure/",
        "/admin/programs/outcomemeasure/add/",
        "/admin/programs/outcomerequest/",
        "/admin/programs/outcomerequest/add/",
    ],
)
def test_therapists_can_open_the_pages(theo_client, patient, url):
    lefs(patient, DAY, [3] * 20)
    OutcomeRequest.objects.create(patient=patient, kind="lefs")
    assert theo_client.get(url).status_code == 200


def test_the_changelist_shows_the_result(theo_client, patient):
    lefs(patient, DAY, [3] * 20)
    OutcomeMeasure.objects.create(patient=patient, kind="ake", left_degrees=35, right_degrees=28)
    response = theo_client.get("/admin/programs/outcomemeasure/")
    assertContains(response, "60/80")
    assertContains(response, "L 35°, R 28°")


def test_it_records_a_lefs_with_its_twenty_answers(theo_client, therapist, patient):
    data = {"patient": patient.pk, "kind": "lefs", "date": "2026-11-02"}
    data |= {f"lefs_{n}": "2" for n in range(1, 21)}
    response = theo_client.post("/admin/programs/outcomemeasure/add/", data)
    assert response.status_code == 302
    measure = OutcomeMeasure.objects.get()
    assert (measure.answers, measure.score, measure.recorded_by) == ([2] * 20, 40, therapist)


def test_a_lefs_with_missing_answers_is_refused_by_item(theo_client, patient):
    data = {"patient": patient.pk, "kind": "lefs", "date": "2026-11-02"}
    data |= {f"lefs_{n}": "2" for n in range(1, 19)}
    response = theo_client.post("/admin/programs/outcomemeasure/add/", data)
    assertContains(response, "LEFS needs all 20 answers; missing: item 19, 20.", count=1)
    assertNotContains(response, "LEFS has 20 answers")
    assert not OutcomeMeasure.objects.exists()


def test_it_records_an_angle_per_leg(theo_client, patient):
    data = {"patient": patient.pk, "kind": "ake", "date": "2026-11-02", "left_degrees": "32"}
    assert theo_client.post("/admin/programs/outcomemeasure/add/", data).status_code == 302
    measure = OutcomeMeasure.objects.get()
    assert (measure.left_degrees, measure.right_degrees, measure.score) == (32, None, None)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Give the angle for at least one leg."),
        ({"left_degrees": "250"}, "An angle is from 0 to 180 degrees."),
        ({"left_degrees": "30", "lefs_1": "4"}, "LEFS answers are filled in: choose LEFS"),
    ],
)
def test_an_angle_is_checked(theo_client, patient, extra, message):
    data = {"patient": patient.pk, "kind": "slr", "date": "2026-11-02", **extra}
    assertContains(theo_client.post("/admin/programs/outcomemeasure/add/", data), message)
    assert not OutcomeMeasure.objects.exists()


def test_it_records_a_psfs(theo_client, patient):
    data = {"patient": patient.pk, "kind": "psfs", "date": "2026-11-02"}
    data |= {"psfs_activity_1": "Running", "psfs_score_1": "4"}
    data |= {"psfs_activity_2": "Stairs", "psfs_score_2": "7"}
    assert theo_client.post("/admin/programs/outcomemeasure/add/", data).status_code == 302
    assert str(OutcomeMeasure.objects.get().score) == "5.5"
    half = {"patient": patient.pk, "kind": "psfs", "date": "2026-11-02", "psfs_activity_1": "Run"}
    assertContains(
        theo_client.post("/admin/programs/outcomemeasure/add/", half), "needs its 0-10 rating"
    )


def test_editing_a_lefs_shows_its_answers(theo_client, patient):
    measure = lefs(patient, DAY, [4] * 19 + [1])
    response = theo_client.get(f"/admin/programs/outcomemeasure/{measure.pk}/change/")
    form = response.context["adminform"].form
    assert form["lefs_20"].value() == 1 and form["lefs_1"].value() == 4


def test_the_ask_link_fills_in_the_patient_and_the_form(theo_client, patient):
    response = theo_client.get(
        f"/admin/programs/outcomerequest/add/?patient={patient.pk}&kind=lefs"
    )
    form = response.context["adminform"].form
    assert form["patient"].value() == str(patient.pk)
    assert form["kind"].value() == "lefs"


def test_asking_for_lefs_puts_it_on_the_patients_today(theo_client, therapist, patient, client):
    data = {"patient": patient.pk, "kind": "lefs", "activities": "", "message": "Before Thursday"}
    assert theo_client.post("/admin/programs/outcomerequest/add/", data).status_code == 302
    request = OutcomeRequest.objects.get()
    assert (request.requested_by, request.is_answered) == (therapist, False)


def test_asking_twice_for_the_same_form_is_refused(theo_client, patient):
    OutcomeRequest.objects.create(patient=patient, kind="lefs")
    data = {"patient": patient.pk, "kind": "lefs"}
    response = theo_client.post("/admin/programs/outcomerequest/add/", data)
    assertContains(response, "This patient already has this form waiting.")
    assert OutcomeRequest.objects.count() == 1


def test_psfs_is_asked_on_the_last_psfs_activities(theo_client, patient):
    OutcomeMeasure.objects.create(
        patient=patient, kind="psfs", activities=[{"activity": "Running", "score": 3}]
    )
    theo_client.post("/admin/programs/outcomerequest/add/", {"patient": patient.pk, "kind": "psfs"})
    assert OutcomeRequest.objects.get().activities == ["Running"]


def test_therapists_can_name_psfs_activities_one_per_line(theo_client, patient):
    data = {"patient": patient.pk, "kind": "psfs", "activities": "Running\n\n Stairs \n"}
    theo_client.post("/admin/programs/outcomerequest/add/", data)
    assert OutcomeRequest.objects.get().activities == ["Running", "Stairs"]


def test_an_answered_request_is_read_only(theo_client, patient):
    request = OutcomeRequest.objects.create(patient=patient, kind="lefs")
    request.answer(patient.user, answers=[4] * 20)
    response = theo_client.get(f"/admin/programs/outcomerequest/{request.pk}/change/")
    assertContains(response, "80/80")
    assertNotContains(response, 'name="_save"')


def test_ask_again_skips_patients_with_the_form_waiting(theo_client, therapist, patient):
    bob = make_patient(therapist, "Bob Other", "bob@example.test", password="bob-pass-123")
    answered = OutcomeRequest.objects.create(patient=patient, kind="lefs")
    answered.answer(patient.user, answers=[4] * 20)
    waiting = OutcomeRequest.objects.create(patient=bob, kind="lefs")
    data = {"action": "ask_again", "_selected_action": [answered.pk, waiting.pk]}
    response = theo_client.post("/admin/programs/outcomerequest/", data, follow=True)
    assertContains(response, "Asked 1 patient(s) again.")
    assertContains(response, "1 already had that form waiting")
    assert OutcomeRequest.objects.pending().count() == 2


# The patient page's panel -------------------------------------------------------------------


def build_history(patient, weeks):
    for week in range(weeks):
        lefs(patient, DAY + datetime.timedelta(weeks=week), [2] * 20 if week == 0 else [3] * 20)
        OutcomeMeasure.objects.create(
            patient=patient,
            kind="ake",
            date=DAY + datetime.timedelta(weeks=week),
            left_degrees=40 - week,
        )


@pytest.mark.parametrize("weeks", [1, 8])
def test_outcomes_context_costs_two_queries(patient, django_assert_num_queries, weeks):
    build_history(patient, weeks)
    OutcomeRequest.objects.create(patient=patient, kind="lefs")
    with django_assert_num_queries(2):
        context = outcomes_context(patient)
        html = render_to_string("admin/programs/patient/_outcomes.html", {"outcomes": context})
    assert len(context["rows"]) == 2 * weeks
    assert html.count("<svg") == 2


def test_the_panel_charts_and_tabulates_the_lefs_change(patient):
    build_history(patient, 3)
    html = render_to_string(
        "admin/programs/patient/_outcomes.html", {"outcomes": outcomes_context(patient)}
    )
    assert 'id="outcome-chart-lefs"' in html and 'id="outcome-chart-ake"' in html
    assert "first +9: important change" in html
    assert "+20 <strong>important improvement</strong>" in html  # 40 -> 60
    assert "L −2°" in html
    assert f"/admin/programs/outcomemeasure/add/?patient={patient.pk}" in html
    assert f"/admin/programs/outcomerequest/add/?patient={patient.pk}&amp;kind=lefs" in html


def test_the_panel_says_when_there_is_nothing_yet(patient):
    html = render_to_string(
        "admin/programs/patient/_outcomes.html", {"outcomes": outcomes_context(patient)}
    )
    assert "No outcome measures yet." in html
    assert "<svg" not in html


def test_a_therapist_sees_only_their_care_teams_measures(theo_client, patient, django_user_model):
    colleague = django_user_model.objects.create_user("cora", is_staff=True)
    carl = make_patient(colleague, "Carl Colleague", "carl@example.test")
    mine = lefs(patient, DAY, [3] * 20)
    theirs = OutcomeMeasure.objects.create(patient=carl, kind="ake", left_degrees=50)
    listing = theo_client.get("/admin/programs/outcomemeasure/?therapist=all")
    assertContains(listing, f"/admin/programs/outcomemeasure/{mine.pk}/change/")
    assertNotContains(listing, "Carl Colleague")
    response = theo_client.get(f"/admin/programs/outcomemeasure/{theirs.pk}/change/")
    assert response.status_code == 404
