"""The therapist's patient page from the cache: never stale, never past a lost permission.

The admin patient page (the hub) is kept per staff account (programs/page_cache.py) and served
without the admin's access check, so every test here takes away or changes something the check
or the page reads, the way the app does it, and opens the page again.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from programs import services
from tests.conftest import make_program, prescribe, start

pytestmark = pytest.mark.django_db


def url(patient):
    return f"/admin/programs/patient/{patient.pk}/change/"


def kept(client, patient, django_assert_num_queries):
    """Open the page twice; the second answer must come from the cache."""
    assert client.get(url(patient)).status_code == 200
    # the session, the user, the audit entry for the read
    with django_assert_num_queries(3):
        response = client.get(url(patient))
    assert response.status_code == 200
    return response


def test_the_hub_again_is_read_from_the_cache(
    therapist_client, patient, program, django_assert_num_queries
):
    assertContains(kept(therapist_client, patient, django_assert_num_queries), "Alice Patient")


def test_a_finished_session_shows_on_the_hub(
    therapist_client, patient, program, clock, django_assert_num_queries
):
    assertNotContains(kept(therapist_client, patient, django_assert_num_queries), "7/10")
    session = start(program)
    services.stop_exercise(session, session.set_logs.first(), 7, clock.now, None)
    services.finish_session(session, pain_during=7, effort=8)
    assertContains(therapist_client.get(url(patient)), "7/10")


def test_a_therapist_taken_off_the_care_team_gets_no_kept_page(
    patient, colleague, clock, django_assert_num_queries
):
    colleague.groups.add(Group.objects.get(name="Therapists"))
    patient.care_team.add(colleague)
    cora = Client()
    cora.force_login(colleague)
    kept(cora, patient, django_assert_num_queries)
    patient.care_team.remove(colleague)
    response = cora.get(url(patient))
    assert response.status_code in (302, 404)
    assertNotContains(response, "Alice Patient", status_code=response.status_code)


def test_a_therapist_out_of_the_group_gets_no_kept_page(
    therapist, therapist_client, patient, django_assert_num_queries
):
    kept(therapist_client, patient, django_assert_num_queries)
    therapist.groups.clear()
    response = therapist_client.get(url(patient))
    assert response.status_code in (302, 403, 404)


def test_a_patient_handed_to_a_colleague_is_gone_from_the_old_therapists_cache(
    therapist_client, patient, colleague, django_assert_num_queries
):
    kept(therapist_client, patient, django_assert_num_queries)
    patient.therapist = colleague
    patient.save()
    assert therapist_client.get(url(patient)).status_code in (302, 404)


def test_a_colleague_never_gets_another_therapists_kept_page(
    therapist_client, patient, colleague, django_assert_num_queries
):
    kept(therapist_client, patient, django_assert_num_queries)
    colleague.groups.add(Group.objects.get(name="Therapists"))
    cora = Client()
    cora.force_login(colleague)
    response = cora.get(url(patient))
    assert response.status_code in (302, 404)


def test_an_edit_shows_at_once(therapist_client, patient, django_assert_num_queries):
    kept(therapist_client, patient, django_assert_num_queries)
    patient.notes = "Sciatic symptoms settled."
    patient.save()
    assertContains(therapist_client.get(url(patient)), "Sciatic symptoms settled.")


def test_a_kept_page_is_audited_with_the_readers_role(
    patient, django_user_model, clock, django_assert_num_queries
):
    lead = django_user_model.objects.create_user("lena", is_staff=True)
    lead.groups.add(Group.objects.get(name="Clinic leads"))
    client = Client()
    client.force_login(lead)
    client.get(url(patient))
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=lead)
    before = reads.count()
    client.get(url(patient))  # from the cache
    assert reads.count() == before + 1
    entry = reads.latest("timestamp")
    assert entry.object_pk == str(patient.pk)
    assert entry.object_repr == "Alice Patient"
    assert entry.additional_data == {"event": "viewed the patient page", "role": "clinic lead"}


def program_url(program):
    return f"/admin/programs/program/{program.pk}/change/"


def test_the_program_page_again_is_read_from_the_cache(
    therapist_client, program, django_assert_num_queries
):
    assert therapist_client.get(program_url(program)).status_code == 200
    with django_assert_num_queries(3):  # the session, the user, the audit entry
        assertContains(therapist_client.get(program_url(program)), "Tight hamstrings")


def test_a_template_page_from_the_cache_needs_no_audit(
    therapist_client, exercise, django_assert_num_queries
):
    template = make_program(None, title="Starter")
    prescribe(template, exercise)
    assert therapist_client.get(program_url(template)).status_code == 200
    with django_assert_num_queries(2):  # the session, the user: no patient's data on it
        assertContains(therapist_client.get(program_url(template)), "Starter")
    prescription = template.prescriptions.get()
    prescription.reps = "15"
    prescription.save()
    assertContains(therapist_client.get(program_url(template)), 'value="15"')


def test_a_new_dose_shows_on_the_program_page(therapist_client, program):
    therapist_client.get(program_url(program))
    prescription = program.prescriptions.get()
    prescription.reps = "14"
    prescription.save()
    assertContains(therapist_client.get(program_url(program)), 'value="14"')


def test_off_the_care_team_means_off_the_kept_program_page(
    patient, program, colleague, clock, django_assert_num_queries
):
    colleague.groups.add(Group.objects.get(name="Therapists"))
    patient.care_team.add(colleague)
    cora = Client()
    cora.force_login(colleague)
    assert cora.get(program_url(program)).status_code == 200
    with django_assert_num_queries(3):
        cora.get(program_url(program))
    colleague.care_patients.remove(patient)  # from the therapist's side this time
    response = cora.get(program_url(program))
    assert response.status_code in (302, 404)
