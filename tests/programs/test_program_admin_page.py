"""The program page in the admin: compact rows in order, a change from a later week, any weeks."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs.models import Prescription
from programs.services import complete_step
from tests.conftest import MONDAY, days, make_exercise, make_program, page_data, prescribe, start

pytestmark = pytest.mark.django_db


def page(client, program, query=""):
    return client.get(f"/admin/programs/program/{program.pk}/change/{query}")


def long_plan(patient, rows):
    """A 10-week plan: ten exercises, each in five two-week steps, every row with notes."""
    program = make_program(patient, weeks=10)
    moves = [make_exercise(slug=f"move-{n}", name=f"Move {n}") for n in range(10)]
    for n in range(rows):
        first = 1 + 2 * (n // 10)
        prescribe(
            program,
            moves[n % 10],
            order=n % 10,
            week_from=first,
            week_to=first + 1 if first < 9 else None,
            reps=str(8 + n // 10),
            notes="Go slowly and stop if it pinches.",
            progression="Add a set when 3 × 12 feels easy.",
        )
    return program


# Rows ---------------------------------------------------------------------------------------


def test_rows_follow_the_session_order_then_the_first_week(therapist_client, patient):
    program = make_program(patient)
    glide = make_exercise(slug="glide", name="Glide", kind="nerve_glide")
    curl = make_exercise(slug="curl", name="Curl")
    prescribe(program, curl, order=2, week_from=4, reps="12")  # created first
    prescribe(program, glide, order=1, week_from=1)
    prescribe(program, curl, order=2, week_from=1, week_to=3)
    formset = page(therapist_client, program).context["inline_admin_formsets"][0].formset
    assert [(f.instance.exercise.name, f.instance.week_from) for f in formset.initial_forms] == [
        ("Glide", 1),
        ("Curl", 1),
        ("Curl", 4),
    ]


def test_each_row_header_names_its_weeks(therapist_client, program, exercise):
    program.prescriptions.update(week_to=2)
    prescribe(program, exercise, week_from=3, reps="12")
    response = page(therapist_client, program)
    assertContains(
        response, '<b>Standing hamstring curl</b> · <span class="rx-weeks">weeks 1-2</span>'
    )
    assertContains(response, '<span class="rx-weeks">weeks 3 onwards</span>')


def test_rarely_used_fields_fold_under_more_with_what_they_hold(therapist_client, program):
    program.prescriptions.update(notes="Slowly.", pain_ceiling=3)
    response = page(therapist_client, program).content.decode()
    more = response[response.index('<details class="rx-more">') :]
    more = more[: more.index("</details>")]
    assert "More: rest 60 s, pain ceiling 3/10, a note to the patient</summary>" in more
    for name in ("rest_seconds", "pain_ceiling", "weekdays", "notes", "progression"):
        assert f'name="prescriptions-0-{name}"' in more or name == "weekdays"
    assert 'name="prescriptions-0-sets"' not in more


def test_an_error_in_a_folded_field_opens_it(therapist_client, program):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    data["prescriptions-0-rest_seconds"] = "5000"
    response = therapist_client.post(url, data)
    assertContains(response, '<details class="rx-more" open>')


def test_saved_rows_carry_each_choice_list_once(therapist_client, patient):
    program = long_plan(patient, 5)
    response = page(therapist_client, program)
    assertContains(response, '<option value="each">Each leg in turn</option>', count=2)
    assertContains(response, '<template id="choices-side">', count=1)
    assertContains(
        response,
        '<select name="prescriptions-0-side" data-choices="side">'
        '<option value="both" selected>Both legs together</option></select>',
    )


def test_the_weekday_boxes_show_on_rows_that_use_them(therapist_client, program):
    bridge = make_exercise(slug="bridge", name="Bridge", position="lying")
    prescribe(program, bridge, order=2, frequency="weekdays", weekdays="1,3")
    response = page(therapist_client, program)
    assertNotContains(response, 'name="prescriptions-0-weekdays"')
    assertContains(response, 'name="prescriptions-1-weekdays" value="1" checked')


@pytest.mark.parametrize("rows", [5, 50])
def test_a_long_plan_stays_a_light_page(therapist_client, patient, rows):
    program = long_plan(patient, rows)
    response = page(therapist_client, program)
    assert response.status_code == 200
    assert len(response.content) < {5: 60_000, 50: 200_000}[rows]


# Change from week N -------------------------------------------------------------------------


def change_url(program, row):
    return f"/admin/programs/program/{program.pk}/prescriptions/{row.pk}/change-from-week/"


def test_each_saved_row_offers_a_change_from_a_later_week(therapist_client, program):
    row = program.prescriptions.get()
    assertContains(page(therapist_client, program), f'href="{change_url(program, row)}"')


def test_the_change_form_starts_next_week_with_the_rows_dose(therapist_client, program, clock):
    clock.set(MONDAY + days(9))  # week 2
    row = program.prescriptions.get()
    response = therapist_client.get(change_url(program, row))
    form = response.context["form"]
    assert (form["from_week"].value(), form["reps"].value(), form["sets"].value()) == (3, "10", 3)
    assertContains(response, "this is week 2")


def test_a_change_from_week_3_ends_the_row_and_keeps_the_past(therapist_client, program, clock):
    row = program.prescriptions.get()
    session = start(program)
    complete_step(session, session.set_logs.first().pk, reps_done=10)
    data = page_data_of(therapist_client.get(change_url(program, row)))
    data.update(from_week="3", reps="12", tempo="3-0-1-0")
    response = therapist_client.post(change_url(program, row), data)
    assertRedirects(response, f"/admin/programs/program/{program.pk}/change/")
    rows = list(program.prescriptions.order_by("week_from"))
    assert [(r.week_from, r.week_to, r.reps, r.tempo) for r in rows] == [
        (1, 2, "10", ""),
        (3, None, "12", "3-0-1-0"),
    ]
    assert session.set_logs.first().prescription_id == row.pk
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Standing hamstring curl: from week 3, 3 sets of 12 reps · lower over 3 s · bodyweight "
        "· 3×/week. Earlier weeks and every logged set keep the dose they had."
    ]


def test_a_change_after_the_row_ends_is_refused_in_words(therapist_client, program):
    row = program.prescriptions.get()
    Prescription.objects.filter(pk=row.pk).update(week_to=2)
    data = page_data_of(therapist_client.get(change_url(program, row)))
    data.update(from_week="4")
    response = therapist_client.post(change_url(program, row), data)
    assertContains(response, "This row ends in week 2; change the row that runs in week 4.")


def test_another_care_teams_row_is_a_404(therapist_client, carl):
    plan = make_program(carl)
    row = prescribe(plan, make_exercise(slug="other", name="Other"))
    assert therapist_client.get(change_url(plan, row)).status_code == 404


def page_data_of(response):
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is not None:
            data[bound.html_name] = value if isinstance(value, list) else str(value)
    return data


# The preview, for any weeks -----------------------------------------------------------------


def test_the_preview_shows_the_weeks_asked_for(therapist_client, program):
    response = page(therapist_client, program, "?weeks=3-4")
    dates = [s["date"] for s in response.context["preview"]]
    assert dates == [MONDAY + days(n) for n in (14, 16, 18, 21, 23, 25)]
    assert {s["week"] for s in response.context["preview"]} == {3, 4}
    assertContains(response, "Weeks 3-4, as the patient will see them")
    assertContains(response, 'name="weeks" form="preview-weeks" value="3-4"')
    assertContains(response, '<form id="preview-weeks" method="get"')


def test_one_week_and_the_default_fourteen_days(therapist_client, program):
    response = page(therapist_client, program, "?weeks=6")
    assert [s["week"] for s in response.context["preview"]] == [6, 6, 6]
    response = page(therapist_client, program)
    assert response.context["preview"][0]["date"] == timezone.localdate()
    assertContains(response, "Next 14 days, as the patient will see them")
    assertContains(response, 'href="?weeks=1-6#schedule-preview"')


@pytest.mark.parametrize("weeks", ["soon", "5-2", "0", "3-"])
def test_an_unreadable_span_falls_back_to_fourteen_days(therapist_client, program, weeks):
    response = page(therapist_client, program, f"?weeks={weeks}")
    assertContains(response, "Give a week or a span of weeks, e.g. 3 or 3-5.")
    assert len(response.context["preview"]) == 6


def test_weeks_past_the_plan_say_so(therapist_client, program):
    response = page(therapist_client, program, "?weeks=8-9")
    assert response.context["preview"] == []
    assertContains(response, "No prescription is due in weeks 8-9")


def test_a_long_span_is_cut_to_twelve_weeks(therapist_client, patient, exercise):
    program = make_program(patient, weeks=None, start_date=MONDAY - datetime.timedelta(weeks=1))
    prescribe(program, exercise, frequency="per_week", frequency_count=1)
    response = page(therapist_client, program, "?weeks=1-50")
    assert [s["week"] for s in response.context["preview"]] == list(range(1, 13))
