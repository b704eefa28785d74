"""Changing a plan after it started: pauses, moves, overlapping rows, replacing a plan."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from programs.models import Prescription, Program
from programs.services import copy_template
from tests.conftest import MONDAY, add_row, days, make_exercise, make_program, page_data, prescribe

pytestmark = pytest.mark.django_db


def test_a_pause_plans_nothing_even_after_the_plan_resumes(program):
    program.change_status(Program.Status.PAUSED, MONDAY + days(7))
    program.save()
    assert len(program.planned_sessions(MONDAY, MONDAY + days(20))) == 3
    program.change_status(Program.Status.ACTIVE, MONDAY + days(14))
    program.save()
    program.refresh_from_db()
    assert program.paused_periods == [["2026-11-09", "2026-11-15"]]
    dates = [s.date for s in program.planned_sessions(MONDAY, MONDAY + days(20))]
    assert dates == [MONDAY + days(n) for n in (0, 2, 4, 14, 16, 18)]


def test_the_admin_records_a_pause_when_a_plan_resumes(therapist_client, program, clock):
    url = f"/admin/programs/program/{program.pk}/change/"
    Program.objects.filter(pk=program.pk).update(status="paused", status_since=MONDAY + days(7))
    clock.set(MONDAY + days(10))  # resumed on Thursday of week 2
    data = page_data(therapist_client.get(url))
    data["status"] = "active"
    therapist_client.post(url, data)
    program.refresh_from_db()
    assert program.status == "active"
    assert program.paused_periods == [["2026-11-09", "2026-11-11"]]


def test_a_plan_cannot_move_to_another_patient(therapist_client, program, other_patient):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    assert "patient" not in data
    data["patient"] = str(other_patient.pk)
    therapist_client.post(url, data)
    program.refresh_from_db()
    assert program.patient.name == "Alice Patient"


def test_overlapping_rows_for_the_same_leg_are_refused(therapist_client, program, exercise):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = add_row(page_data(therapist_client.get(url)), 1, exercise, week_from="3", reps="12")
    response = therapist_client.post(url, data)
    assertContains(response, "Standing hamstring curl is prescribed twice for the same leg")
    assert program.prescriptions.count() == 1


def test_ending_the_first_row_lets_a_new_dose_start(therapist_client, program, exercise):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = add_row(page_data(therapist_client.get(url)), 1, exercise, week_from="3", reps="12")
    data["prescriptions-0-week_to"] = "2"
    response = therapist_client.post(url, data)
    assert response.status_code == 302
    assert [p.week_range_text for p in program.prescriptions.all()] == ["1-2", "3+"]


def test_left_and_right_rows_may_share_weeks(therapist_client, patient):
    exercise = make_exercise(slug="rdl", name="Single-leg RDL", unilateral=True)
    program = make_program(patient)
    prescribe(program, exercise, side="left")
    url = f"/admin/programs/program/{program.pk}/change/"
    data = add_row(page_data(therapist_client.get(url)), 1, exercise, side="right", reps="8")
    assert therapist_client.post(url, data).status_code == 302


def test_a_second_active_plan_is_refused_in_the_admin(therapist_client, program):
    data = page_data(therapist_client.get("/admin/programs/program/add/"))
    data.update(
        title="Another plan",
        patient=str(program.patient.pk),
        start_date=MONDAY.isoformat(),
        status="active",
    )
    response = therapist_client.post("/admin/programs/program/add/", data)
    assertContains(response, "This patient already has an active plan.")
    assert Program.objects.count() == 1


def test_starting_a_template_completes_the_current_plan(program):
    template = make_program(None, title="Next phase")
    prescribe(template, make_exercise(slug="nordic", name="Nordic", kind="eccentric"))
    new = copy_template(template, program.patient, MONDAY + days(28))
    program.refresh_from_db()
    assert (program.status, program.status_since) == ("completed", timezone.localdate())
    assert (new.status, new.slug) == ("active", None)


def test_program_list_shows_my_patients_plans_and_templates(therapist_client, program, carl):
    carls = make_program(carl, title="Carl plan")
    make_program(None, title="Shared template")
    response = therapist_client.get("/admin/programs/program/")
    assertContains(response, "Tight hamstrings")
    assertContains(response, "Shared template")
    assertNotContains(response, "Carl plan")
    # Another care team's plan: not under "all", and its URL is a 404.
    assertNotContains(therapist_client.get("/admin/programs/program/?therapist=all"), "Carl plan")
    assert therapist_client.get(f"/admin/programs/program/{carls.pk}/change/").status_code == 404


def test_reloading_protocols_leaves_patient_plans_alone(protocols, patient):
    template = Program.objects.get(slug="nordic-petersen-2011")
    plan = copy_template(template, patient, MONDAY)
    before = [model_to_dict(p) for p in plan.prescriptions.all()]
    counts = (Program.objects.count(), Prescription.objects.count())
    call_command("loaddata", "protocols", verbosity=0)
    assert (Program.objects.count(), Prescription.objects.count()) == counts
    assert [model_to_dict(p) for p in plan.prescriptions.all()] == before


def test_a_new_email_moves_the_patients_sign_in(patient):
    patient.email = "Alice.New@Example.test "
    patient.save()
    patient.user.refresh_from_db()
    assert (patient.user.username, patient.user.email) == ("alice.new@example.test",) * 2
