"""Two therapists on one change page: the second save is refused, nothing is overwritten."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from pytest_django.asserts import assertContains

from programs.models import Patient
from tests.conftest import page_data

pytestmark = pytest.mark.django_db
CONFLICT = "changed “{}” since you opened this page, so your changes were not saved"


@pytest.fixture
def second_client(therapist, clock):
    """theo again, in another browser."""
    therapist.groups.add(Group.objects.get(name="Therapists"))
    client = Client()
    client.force_login(therapist)
    return client


def both_open(url, first, second):
    """The same page open in two browsers: the second may be served from the cache (no
    template context to read), but it carries the same values and the same version."""
    mine = page_data(first.get(url))
    page = second.get(url)
    assert page.status_code == 200
    assert f'name="version" value="{mine["version"]}"' in page.text
    return mine, page_data(page) if page.context else dict(mine)


def test_a_stale_program_form_is_refused(therapist_client, second_client, program):
    url = f"/admin/programs/program/{program.pk}/change/"
    mine, theirs = both_open(url, therapist_client, second_client)
    theirs["title"] = "Their title"
    assert second_client.post(url, theirs).status_code == 302

    mine["goal"] = "My goal"
    response = therapist_client.post(url, mine)
    assertContains(response, CONFLICT.format("Their title (Alice Patient)"))
    program.refresh_from_db()
    assert (program.title, program.goal) == ("Their title", "")


def test_a_change_to_a_prescription_row_counts_too(therapist_client, second_client, program):
    url = f"/admin/programs/program/{program.pk}/change/"
    mine, theirs = both_open(url, therapist_client, second_client)
    theirs["prescriptions-0-reps"] = "12"
    assert second_client.post(url, theirs).status_code == 302

    mine["title"] = "Renamed"
    assertContains(therapist_client.post(url, mine), "since you opened this page")
    program.refresh_from_db()
    assert (program.title, program.prescriptions.get().reps) == ("Tight hamstrings", "12")

    # Opened again, the page carries the new version and saves.
    fresh = page_data(therapist_client.get(url))
    fresh["title"] = "Renamed"
    assert therapist_client.post(url, fresh).status_code == 302


def test_a_change_made_outside_the_admin_counts_too(therapist_client, program):
    url = f"/admin/programs/program/{program.pk}/change/"
    mine = page_data(therapist_client.get(url))
    program.prescriptions.update(sets=2)  # e.g. "Change from week…" or a progression meanwhile
    assertContains(therapist_client.post(url, mine), "since you opened this page")


def test_a_stale_patient_form_is_refused(therapist_client, second_client, patient):
    url = f"/admin/programs/patient/{patient.pk}/change/"
    mine, theirs = both_open(url, therapist_client, second_client)
    theirs["notes"] = "Prefers mornings."
    assert second_client.post(url, theirs).status_code == 302

    mine["name"] = "Alice Renamed"
    assertContains(therapist_client.post(url, mine), CONFLICT.format("Alice Patient"))
    patient.refresh_from_db()
    assert (patient.name, patient.notes) == ("Alice Patient", "Prefers mornings.")


def test_saving_twice_from_fresh_pages_is_fine(therapist_client, patient):
    url = f"/admin/programs/patient/{patient.pk}/change/"
    for notes in ("First.", "Second."):
        data = page_data(therapist_client.get(url))
        data["notes"] = notes
        assert therapist_client.post(url, data).status_code == 302
    assert Patient.objects.get(pk=patient.pk).notes == "Second."


def test_a_post_without_the_version_is_refused(therapist_client, patient):
    url = f"/admin/programs/patient/{patient.pk}/change/"
    data = page_data(therapist_client.get(url))
    del data["version"]
    data["notes"] = "Scripted."
    assertContains(therapist_client.post(url, data), "since you opened this page")


def test_a_first_sign_in_meanwhile_is_not_a_conflict(therapist_client, cara, django_user_model):
    """The patient's account is read-only on the page: the form can't overwrite it."""
    url = f"/admin/programs/patient/{cara.pk}/change/"
    data = page_data(therapist_client.get(url))
    user = django_user_model.objects.create_user("cara@example.test")
    Patient.objects.filter(pk=cara.pk).update(user=user)
    data["notes"] = "Called."
    assert therapist_client.post(url, data).status_code == 302
