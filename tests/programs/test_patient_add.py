"""Adding a patient in the admin ends with the next step: start a plan from a template."""

import pytest
from pytest_django.asserts import assertContains

from tests.conftest import page_data

pytestmark = pytest.mark.django_db


def add_patient(client, **extra):
    data = page_data(client.get("/admin/programs/patient/add/"))
    data.update(name="Dana New", email="dana@example.test", **extra)
    return client.post("/admin/programs/patient/add/", data, follow=True)


def test_saving_a_new_patient_offers_to_start_a_plan(therapist_client):
    response = add_patient(therapist_client)
    assertContains(
        response,
        'Next: <a href="/admin/programs/program/?kind=templates">start a plan for Dana New</a>',
        html=False,
    )
    assert therapist_client.get("/admin/programs/program/?kind=templates").status_code == 200


def test_save_and_continue_stays_on_the_patient_without_the_offer(therapist_client):
    response = add_patient(therapist_client, _continue="1")
    assert "start a plan for" not in response.content.decode()
