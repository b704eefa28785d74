"""The therapist's workbench, driven through the admin as a therapist (not a superuser)."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs.models import Patient, Prescription, Program
from tests.conftest import MONDAY, add_row, make_exercise, make_program, page_data, prescribe

pytestmark = pytest.mark.django_db


def template_pk(slug):
    return Program.objects.get(slug=slug).pk


def new_program_data(client, patient, **fields):
    data = page_data(client.get("/admin/programs/program/add/"))
    data.update(
        title="Tight hamstrings",
        patient=str(patient.pk),
        start_date=timezone.localdate().isoformat(),
        status="active",
        **fields,
    )
    return data


def start_from_template(client, template_pk, patient, start_date, status="active"):
    return client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": str(template_pk),
            "apply": "1",
            "patient": str(patient.pk),
            "start_date": start_date.isoformat(),
            "status": status,
        },
    )


# Patients ---------------------------------------------------------------------------------


def test_patient_list_shows_my_care_teams_patients_and_no_others(
    therapist_client, therapist, patient, colleague, carl
):
    make_program(patient, title="Knee plan")

    response = therapist_client.get("/admin/programs/patient/")
    assertContains(response, "Alice Patient")
    assertContains(response, "Knee plan")  # current program column
    assertNotContains(response, "Carl Colleague")
    assertContains(response, "My patients")

    # Another therapist's patient stays out of reach, whatever the filter or URL says.
    response = therapist_client.get("/admin/programs/patient/?therapist=all")
    assertNotContains(response, "Carl Colleague")
    assert therapist_client.get(f"/admin/programs/patient/{carl.pk}/change/").status_code == 404

    carl.care_team.add(therapist)  # once on Carl's care team, he is one of "my patients"
    assertContains(therapist_client.get("/admin/programs/patient/"), "Carl Colleague")
    response = therapist_client.get(f"/admin/programs/patient/?therapist={colleague.pk}")
    assertContains(response, "Carl Colleague")
    assertNotContains(response, "Alice Patient")


def test_patient_search_finds_by_email(therapist_client, patient, other_patient):
    response = therapist_client.get("/admin/programs/patient/?q=bob@example")
    assertContains(response, "Bob Other")
    assertNotContains(response, "Alice Patient")


def test_it_creates_a_patient_with_me_as_therapist(therapist_client, therapist):
    response = therapist_client.get("/admin/programs/patient/add/")
    assert response.context["adminform"].form.initial["therapist"] == therapist.pk
    data = page_data(response)
    data.update(name="Dana New", email="Dana@Example.test")
    response = therapist_client.post("/admin/programs/patient/add/", data)
    assert response.status_code == 302
    patient = Patient.objects.get(name="Dana New")
    assert patient.therapist == therapist
    assert patient.email == "dana@example.test"


def test_patient_page_lists_programs_and_offers_a_sign_in_link(therapist_client, program):
    patient = program.patient
    response = therapist_client.get(f"/admin/programs/patient/{patient.pk}/change/")
    assertContains(response, f"/admin/programs/program/{program.pk}/change/")
    assertContains(response, f'action="/accounts/links/new/{patient.pk}/"')


# Programs and prescriptions --------------------------------------------------------------


def test_it_creates_a_program_with_inline_prescriptions(therapist_client, patient, exercise):
    glide = make_exercise(slug="slump", name="Slump slider", kind="nerve_glide", position="sitting")
    data = new_program_data(therapist_client, patient)
    add_row(data, 0, exercise, reps="12,10,8", tempo="4-0-1-0", effort="6")
    add_row(
        data,
        1,
        glide,
        order="2",
        sets="1",
        frequency="weekdays",
        **{"weekdays": ["0", "2", "4"]},
    )
    response = therapist_client.post("/admin/programs/program/add/", data)
    assert response.status_code == 302, response.context["errors"]

    program = Program.objects.get(title="Tight hamstrings")
    assert program.patient == patient
    curl, slump = program.prescriptions.order_by("order")
    assert curl.dose_text == (
        "3 sets: 12, 10, 8 reps · lower over 4 s · bodyweight · effort 6/10 · 3×/week"
    )
    assert slump.weekdays == "0,2,4"
    assert slump.dose_text.endswith("Mon Wed Fri")


def test_the_change_page_shows_each_dose_line_and_weekday_boxes(therapist_client, program):
    curl = program.prescriptions.get().exercise
    prescribe(program, curl, side="left", frequency="weekdays", weekdays="1,3")
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    line = '<div class="readonly">{}</div>'
    assertContains(response, line.format("3 sets of 10 reps · bodyweight · 3×/week"), html=True)
    assertContains(
        response, line.format("3 sets of 10 reps (left leg) · bodyweight · Tue Thu"), html=True
    )
    assertContains(response, 'name="prescriptions-1-weekdays" value="1"', html=False)
    assert page_data(response)["prescriptions-1-weekdays"] == ["1", "3"]


def test_a_bad_rep_scheme_is_explained_in_its_row(therapist_client, patient, exercise):
    data = add_row(new_program_data(therapist_client, patient), 0, exercise, reps="12,10")
    response = therapist_client.post("/admin/programs/program/add/", data)
    assert response.status_code == 200
    assertContains(
        response, "The scheme lists 2 sets (12,10) but the prescription has 3. Give one number"
    )
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reps": "8-6"}, "The range 8-6 goes down; put the smaller number first (6-8)."),
        ({"reps": ""}, "Give the reps (e.g. 10) or a hold time in seconds."),
        ({"week_from": "5", "week_to": "4"}, "The last week comes before the first week."),
        ({"load_kind": "kg"}, "Give the weight, e.g. 8."),
        ({"frequency": "weekdays"}, "Pick at least one weekday."),
        ({"tempo": "slow"}, "Tempo needs four phases"),
    ],
)
def test_invalid_doses_get_plain_messages(therapist_client, patient, exercise, fields, message):
    data = add_row(new_program_data(therapist_client, patient), 0, exercise, **fields)
    assertContains(therapist_client.post("/admin/programs/program/add/", data), message)


def test_retired_exercises_cannot_be_prescribed_anew(therapist_client, patient):
    retired = make_exercise(slug="old", name="Old curl", is_active=False)
    data = add_row(new_program_data(therapist_client, patient), 0, retired)
    response = therapist_client.post("/admin/programs/program/add/", data)
    assertContains(response, "Select a valid choice")


def test_a_row_keeps_its_retired_exercise(therapist_client, program):
    program.prescriptions.update(notes="")
    exercise = program.prescriptions.get().exercise
    exercise.is_active = False
    exercise.save()
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    data["prescriptions-0-notes"] = "Slowly."
    assert therapist_client.post(url, data).status_code == 302
    assert program.prescriptions.get().notes == "Slowly."


def test_changing_the_status_restarts_status_since(therapist_client, program):
    Program.objects.filter(pk=program.pk).update(status_since=datetime.date(2026, 1, 1))
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))

    data["title"] = "Renamed"
    therapist_client.post(url, data)
    program.refresh_from_db()
    assert program.status_since == datetime.date(2026, 1, 1)

    data = page_data(therapist_client.get(url))  # the page as saved: a stale copy is refused
    data["status"] = "paused"
    therapist_client.post(url, data)
    program.refresh_from_db()
    assert (program.status, program.status_since) == ("paused", timezone.localdate())


def test_program_list_filters_templates_and_plans(therapist_client, program):
    make_program(None, title="Knee template")
    response = therapist_client.get("/admin/programs/program/?kind=templates")
    assertContains(response, "Knee template")
    assertNotContains(response, "Alice Patient")
    response = therapist_client.get("/admin/programs/program/?kind=plans&status__exact=active")
    assertContains(response, "Alice Patient")
    assertNotContains(response, "Knee template")


@pytest.mark.parametrize("rows", [2, 12])
def test_program_page_queries_do_not_grow_with_prescriptions(
    therapist_client, patient, exercise, django_assert_num_queries, rows
):
    program = make_program(patient, start_date=timezone.localdate())
    for order in range(rows):
        move = make_exercise(slug=f"move-{order}", name=f"Move {order}")
        prescribe(program, move, order=order, frequency="daily", frequency_count=1)
    # 11: the patient is read-only on a plan, so no patient lookup for a select widget.
    with django_assert_num_queries(12):  # 11, and the audit entry for reading the plan
        response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assert response.status_code == 200


# Templates --------------------------------------------------------------------------------


def test_the_action_asks_for_patient_and_start_date(therapist_client, protocols):
    response = therapist_client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": str(template_pk("nordic-petersen-2011")),
        },
    )
    assertContains(response, "Start “Nordic hamstring progression (Petersen 2011)” for a patient")
    assertContains(response, "6 prescriptions")
    assertContains(response, 'name="start_date"')


def test_the_action_copies_a_template_for_a_patient(therapist_client, protocols, patient):
    response = start_from_template(
        therapist_client, template_pk("nordic-petersen-2011"), patient, MONDAY
    )

    program = Program.objects.get(patient=patient)
    assertRedirects(response, f"/admin/programs/program/{program.pk}/change/")
    assert (program.template_id, program.start_date, program.status) == (
        template_pk("nordic-petersen-2011"),
        MONDAY,
        "active",
    )
    assert program.title == "Nordic hamstring progression (Petersen 2011)"
    copied = [p.dose_text for p in program.prescriptions.all()]
    template = Program.objects.get(pk=template_pk("nordic-petersen-2011"))
    assert copied == [p.dose_text for p in template.prescriptions.all()]
    assert len(copied) == 6

    # Later edits to the template leave the patient's copy alone.
    template.prescriptions.filter(week_from=5).update(reps="10,10,10")
    template.prescriptions.filter(week_from=1).delete()
    assert [p.dose_text for p in program.prescriptions.all()] == copied


def test_the_action_form_explains_missing_fields(therapist_client, protocols):
    response = therapist_client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": str(template_pk("nordic-petersen-2011")),
            "apply": "1",
        },
    )
    errors = response.context["form"].errors
    assert errors == {
        "patient": ["This field is required."],
        "start_date": ["This field is required."],
        "status": ["This field is required."],
    }
    assert not Program.objects.plans().exists()


def test_the_action_refuses_a_patients_plan(therapist_client, program):
    response = therapist_client.post(
        "/admin/programs/program/",
        {"action": "start_for_patient", "_selected_action": str(program.pk)},
        follow=True,
    )
    assertContains(response, "is a patient&#x27;s plan, not a template")


def test_the_action_takes_one_template_at_a_time(therapist_client, protocols):
    response = therapist_client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": [
                str(template_pk("nordic-petersen-2011")),
                str(template_pk("tight-hamstrings-starter")),
            ],
        },
        follow=True,
    )
    assertContains(response, "Select one template at a time")


# Mix panel and schedule preview -----------------------------------------------------------


def test_an_all_concentric_program_shows_the_mix_warning(therapist_client, program):
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assertContains(response, "All strengthening is concentric in weeks 1-6.")
    assertContains(response, '<th scope="row">Weeks 1-6</th>', html=False)
    assertContains(response, "<td>100 %</td>", html=False)


def test_a_hard_nerve_glide_is_flagged(therapist_client, program):
    glide = make_exercise(slug="slump", name="Slump slider", kind="nerve_glide", position="sitting")
    prescribe(program, glide, reps="20", effort=6)
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assertContains(response, "Slump slider (weeks 1+) is dosed harder than a gentle nerve glide")
    assertContains(response, "target effort 6/10")


def test_the_starter_template_shows_no_warnings(therapist_client, protocols):
    response = therapist_client.get(
        f"/admin/programs/program/{template_pk('tight-hamstrings-starter')}/change/"
    )
    assertContains(response, "No warnings. Checked: eccentric work is present")
    assertNotContains(response, 'class="warning"')
    assertContains(response, "Weeks 1-2")
    assertContains(response, "Weeks 3-6")
    assertContains(response, "This is a template")


def test_the_preview_lists_the_next_14_days_as_the_patient_sees_them(therapist_client, program):
    today = timezone.localdate()
    program.start_date = today - datetime.timedelta(days=3)
    program.save()
    for row in program.prescriptions.all():
        row.frequency, row.frequency_count = "daily", 2
        row.save()
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    preview = response.context["preview"]
    assert len(preview) == 28
    assert preview[0]["date"] == today
    assert preview[-1]["date"] == today + datetime.timedelta(days=13)
    assertContains(response, "Session 2 of 2", count=14)
    assertContains(response, "3 sets of 10 reps · bodyweight · twice a day")


@pytest.mark.parametrize(
    ("status", "note"),
    [
        ("draft", "Draft: the patient sees no sessions until you set the status to Active."),
        ("paused", "Paused since"),
        ("completed", "Completed on"),
    ],
)
def test_the_preview_says_why_it_is_empty(therapist_client, program, status, note):
    Program.objects.filter(pk=program.pk).update(status=status)
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assertContains(response, note)


# Done when --------------------------------------------------------------------------------


def test_a_therapist_goes_from_new_patient_to_a_changed_nordic_plan(
    therapist_client, therapist, protocols
):
    # 1. Create the patient.
    data = page_data(therapist_client.get("/admin/programs/patient/add/"))
    data.update(name="Nora Nordic", email="nora@example.test")
    assert therapist_client.post("/admin/programs/patient/add/", data).status_code == 302
    patient = Patient.objects.get(email="nora@example.test")
    assert patient.therapist == therapist

    # 2. Start the Nordic progression from its template, today.
    today = timezone.localdate()
    response = start_from_template(
        therapist_client, template_pk("nordic-petersen-2011"), patient, today
    )
    program = Program.objects.get(patient=patient)
    url = f"/admin/programs/program/{program.pk}/change/"
    assertRedirects(response, url)

    # 3. From week 5, the partner adds a push at the shoulders.
    data = page_data(therapist_client.get(url))
    row = next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.endswith("-week_from") and value == "5"
    )
    data[f"{row}-load_kind"] = "partner"
    data[f"{row}-load_text"] = "light push at the shoulders"
    response = therapist_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    week_5 = program.prescriptions.get(week_from=5)
    assert week_5.dose_text == (
        "3 sets: 12, 10, 8 reps · partner push (light push at the shoulders) · 3×/week"
    )
    template_week_5 = Prescription.objects.get(
        program_id=template_pk("nordic-petersen-2011"), week_from=5
    )
    assert template_week_5.load_kind == "bodyweight"
    week_5_sessions = program.planned_sessions(
        program.week_start(5), program.week_start(5) + datetime.timedelta(days=6)
    )
    assert [s.items[0].prescription for s in week_5_sessions] == [week_5] * 3

    # 4. See the mix and the next 14 days.
    response = therapist_client.get(url)
    assertContains(response, "Weeks 5-10")
    assertContains(response, "Weeks 11 onwards")
    assertNotContains(response, 'class="warning"')
    assert [s["date"] for s in response.context["preview"]] == [
        today,
        today + datetime.timedelta(days=7),
        today + datetime.timedelta(days=10),
    ]
    doses = [
        item.prescription.dose_text for s in response.context["preview"] for item in s["items"]
    ]
    assert doses == [
        "2 sets of 5 reps · bodyweight · 1×/week",
        "2 sets of 6 reps · bodyweight · 2×/week",
        "2 sets of 6 reps · bodyweight · 2×/week",
    ]
    assertContains(response, "<strong>Nordic hamstring curl</strong>", count=3)


def test_a_program_without_eccentric_work_is_flagged(therapist_client, patient):
    program = make_program(patient)
    glide = make_exercise(slug="slump", name="Slump slider", kind="nerve_glide", position="sitting")
    prescribe(program, glide, sets=1, effort=2)
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assertContains(response, "No eccentric work: a tight-hamstring program should build strength")


def test_the_panel_names_kinds_a_plan_leaves_out(therapist_client, protocols):
    nordic = template_pk("nordic-petersen-2011")
    response = therapist_client.get(f"/admin/programs/program/{nordic}/change/")
    assertContains(response, "No warnings.")
    assertContains(response, "This plan has no concentric and nerve glide work")
