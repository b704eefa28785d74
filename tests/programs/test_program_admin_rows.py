"""Saved prescription rows on the program page: kept in the cache, their forms never built.

A saved row shown unedited is written once and kept under a digest of what it shows
(programs/templatetags/prescription_rows.py); its form stays unbuilt (PrescriptionFormSet).
These pin what that must not change: the markup, the queries, what a POST saves, and that a
row with errors, or one changed since, is never served from the cache.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs.models import Prescription
from tests.conftest import make_exercise, page_data, prescribe
from tests.programs.test_program_admin_page import long_plan, page
from tests.test_rendering import VOLATILE  # the per-request CSRF token and CSP nonce

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _whole_pages_not_kept(settings):
    """The rows' own cache, under a page rendered each time: the whole page from the cache
    (programs/page_cache.py) is tested in tests/programs/test_page_cache_admin.py."""
    settings.PATIENT_PAGE_SECONDS = 0


ROW = (
    '<div class="inline-related rx has_original" id="prescriptions-0"><h3>'
    '<b>Standing hamstring curl</b> · <span class="rx-weeks">weeks 1 onwards</span>'
    '<a class="rx-change" href="/admin/programs/program/{program}/prescriptions/{row}/'
    'change-from-week/">Change from week…</a><label class="delete"><input type="checkbox" '
    'name="prescriptions-0-DELETE"> Delete</label></h3><div class="rx-line"><label>Exercise'
    '<select name="prescriptions-0-exercise" data-picker="exercise"><option value="{exercise}" '
    "selected>Standing hamstring curl</option></select></label><label>Order<input "
    'type="number" name="prescriptions-0-order" value="0"></label><label>Week from<input '
    'type="number" name="prescriptions-0-week_from" value="1"></label><label>Week to<input '
    'type="number" name="prescriptions-0-week_to"></label></div><div class="rx-line"><label>'
    'Sets<input type="number" name="prescriptions-0-sets" value="3"></label><label>Reps<input '
    'type="text" name="prescriptions-0-reps" value="10" maxlength="40"></label><label>Hold '
    'seconds<input type="number" name="prescriptions-0-hold_seconds"></label><label>Side'
    '<select name="prescriptions-0-side" data-choices="side"><option value="both" selected>'
    'Both legs together</option></select></label><label>Tempo<input type="text" '
    'name="prescriptions-0-tempo" maxlength="20"></label><label>Effort<input type="number" '
    'name="prescriptions-0-effort"></label></div><div class="rx-line"><label>Load kind<select '
    'name="prescriptions-0-load_kind" data-choices="load_kind"><option value="bodyweight" '
    'selected>Bodyweight</option></select></label><label>Load amount<input type="number" '
    'name="prescriptions-0-load_amount" step="0.1"></label><label>Load text<input type="text" '
    'name="prescriptions-0-load_text" maxlength="60"></label><label>Frequency<select '
    'name="prescriptions-0-frequency" data-choices="frequency"><option value="per_week" '
    "selected>Sessions a week (any days)</option></select></label><label>Frequency count"
    '<input type="number" name="prescriptions-0-frequency_count" value="3"></label></div>'
    '<div class="rx-line"><div class="rx-dose"><span>Dose line (as the patient reads it)'
    '</span><div class="readonly">{dose}</div></div></div><details class="rx-more"><summary>'
    'More: rest 60 s</summary><div class="rx-line"><label>Rest seconds<input type="number" '
    'name="prescriptions-0-rest_seconds" value="60"></label><label>Pain ceiling<input '
    'type="number" name="prescriptions-0-pain_ceiling"></label><fieldset '
    'data-weekdays="prescriptions-0-weekdays"><legend>Weekdays</legend></fieldset></div><div '
    'class="rx-line"><label>Notes<textarea name="prescriptions-0-notes" cols="22" rows="2">'
    '</textarea></label><label>Progression<textarea name="prescriptions-0-progression" '
    'cols="22" rows="2"></textarea></label></div></details><input type="hidden" '
    'name="prescriptions-0-id" value="{row}"></div>'
)


def rows_of(response):
    return response.context["inline_admin_formsets"][0].formset


def test_a_saved_row_is_written_as_before_from_the_cache_too(therapist_client, program):
    row = program.prescriptions.get()
    expected = ROW.format(
        program=program.pk, row=row.pk, exercise=row.exercise_id, dose=row.dose_text
    )
    first = page(therapist_client, program)
    assert rows_of(first).forms[0].is_built  # written from its form, then kept
    second = page(therapist_client, program)
    assert not rows_of(second).forms[0].is_built  # from the cache: never built
    for response in (first, second):
        assertContains(response, expected, count=1)


def test_a_long_plan_from_the_cache_is_the_same_page(therapist_client, patient):
    program = long_plan(patient, 50)
    first, second = page(therapist_client, program), page(therapist_client, program)
    assert VOLATILE.sub(rb"\1-", second.content) == VOLATILE.sub(rb"\1-", first.content)
    assert len(second.content) < 200_000
    assert not any(form.is_built for form in rows_of(second).initial_forms)
    assert rows_of(second).empty_form.is_built  # the new-row template is a real form


@pytest.mark.parametrize("rows", [1, 12])
def test_the_queries_do_not_grow_with_the_rows(
    therapist_client, patient, rows, django_assert_num_queries
):
    program = long_plan(patient, rows)
    therapist_client.get("/healthz")  # the first request slides the new session's expiry
    # the session and its user, permissions (2), the plan, its rows for the panels and for the
    # inline, the patient, the audit entry: the same with the rows kept or not
    for _kept in (False, True):
        with django_assert_num_queries(9):
            assert page(therapist_client, program).status_code == 200


def test_an_unchanged_post_of_a_kept_page_saves_nothing(therapist_client, patient):
    program = long_plan(patient, 12)
    page(therapist_client, program)
    response = page(therapist_client, program)
    before = list(Prescription.objects.order_by("pk").values())
    url = f"/admin/programs/program/{program.pk}/change/"
    assertRedirects(therapist_client.post(url, page_data(response)), "/admin/programs/program/")
    assert list(Prescription.objects.order_by("pk").values()) == before


def test_a_row_with_an_error_shows_what_was_entered(therapist_client, patient):
    program = long_plan(patient, 3)
    response = page(therapist_client, program)
    page(therapist_client, program)  # every row now kept
    data = page_data(response)
    data["prescriptions-0-reps"] = "12-15"  # an edit, on a row without an error
    data["prescriptions-1-reps"] = "x" * 41
    data["prescriptions-1-notes"] = "Only on good days."
    url = f"/admin/programs/program/{program.pk}/change/"
    response = therapist_client.post(url, data)
    assert response.status_code == 200
    assertContains(response, 'name="prescriptions-0-reps" value="12-15"')
    assertContains(response, f'name="prescriptions-1-reps" value="{"x" * 41}"')
    assertContains(response, "Ensure this value has at most 40 characters (it has 41).")
    assertContains(response, "Only on good days.</textarea>")
    assertNotContains(response, 'name="prescriptions-0-reps" value="8"')
    assert all(form.is_built for form in rows_of(response).forms)


def test_a_row_changed_since_it_was_kept_shows_the_change(therapist_client, program):
    page(therapist_client, program)
    row = program.prescriptions.get()
    Prescription.objects.filter(pk=row.pk).update(reps="15", notes="Slowly.")
    row.exercise.name = "Heel slide"
    row.exercise.save()
    response = page(therapist_client, program)
    assertContains(response, 'name="prescriptions-0-reps" value="15"')
    assertContains(response, "Slowly.</textarea>")
    assertContains(response, "<b>Heel slide</b>")
    assertContains(response, "selected>Heel slide</option>")


def test_a_row_kept_for_one_permission_is_not_shown_to_another(therapist_client, program):
    assertContains(page(therapist_client, program), 'name="prescriptions-0-DELETE"')
    therapists = Group.objects.get(name="Therapists")
    therapists.permissions.remove(Permission.objects.get(codename="delete_prescription"))
    assertNotContains(page(therapist_client, program), 'name="prescriptions-0-DELETE"')


def test_a_new_row_on_a_kept_page_is_the_stock_markup(therapist_client, program):
    prescribe(program, make_exercise(slug="bridge", name="Bridge"), order=1)
    page(therapist_client, program)
    response = page(therapist_client, program)
    assertContains(response, '<div class="inline-related rx empty-form last-related"', count=1)
    assertContains(response, 'id="id_prescriptions-__prefix__-reps"')
    assertContains(response, 'id="prescriptions-1"', count=1)
