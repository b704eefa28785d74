"""Groups from the data migration: therapists work with patients; clinic staff never see them."""

import pytest
from django.contrib.auth.models import Group

from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def crud(app, model, actions=("add", "change", "delete", "view")):
    return {(app, f"{action}_{model}") for action in actions}


def test_the_migration_creates_both_groups():
    assert codenames("Therapists") == (
        crud("programs", "patient")
        | crud("programs", "program")
        | crud("programs", "prescription")
        | crud("programs", "signinlink")
        | crud("programs", "exercisesession", ["view"])
        | crud("programs", "setlog", ["view"])
        | crud("programs", "signalreview", ["add", "view"])
        | crud("programs", "outcomemeasure")
        | crud("programs", "outcomerequest")
        | crud("exercises", "exercise", ["view"])
    )
    assert codenames("Clinic staff") == crud("exercises", "exercise", ["add", "change", "view"])


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("stella", is_staff=True)
    user.groups.add(Group.objects.get(name="Clinic staff"))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programs/patient/",
        "/admin/programs/patient/add/",
        "/admin/programs/program/",
        "/admin/programs/exercisesession/",
        "/admin/programs/signinlink/",
    ],
)
def test_clinic_staff_cannot_open_patient_pages(staff_client, url):
    assert staff_client.get(url).status_code == 403


def test_clinic_staff_cannot_open_a_patient_or_a_program(staff_client, program):
    assert (
        staff_client.get(f"/admin/programs/patient/{program.patient.pk}/change/").status_code == 403
    )
    assert staff_client.get(f"/admin/programs/program/{program.pk}/change/").status_code == 403


def test_clinic_staff_edit_exercises(staff_client, exercise):
    response = staff_client.get(f"/admin/exercises/exercise/{exercise.pk}/change/")
    assert response.context["has_change_permission"]
    response = staff_client.post(
        "/admin/exercises/exercise/add/",
        {
            "name_en": "Heel dig",
            "slug": "heel-dig",
            "kind": "concentric",
            "position": "lying",
            "summary_en": "Press your heel into the floor.",
            "instructions_en": "Lie down.\nDig your heel in.",
            "stop_if_en": "Sharp pain.",
            "default_sets": "3",
            "default_hold_seconds": "5",
            "default_rest_seconds": "30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302


def test_therapists_view_exercises_but_cannot_change_them(therapist_client, exercise):
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    response = therapist_client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert therapist_client.post(url, {"name": "Renamed"}).status_code == 403
    assert therapist_client.get("/admin/exercises/exercise/add/").status_code == 403
    exercise.refresh_from_db()
    assert exercise.name == "Standing hamstring curl"


def test_therapists_read_sessions_but_cannot_add_them(therapist_client):
    assert therapist_client.get("/admin/programs/exercisesession/").status_code == 200
    assert therapist_client.get("/admin/programs/exercisesession/add/").status_code == 403


def test_therapists_cannot_manage_accounts(therapist_client):
    assert therapist_client.get("/admin/auth/user/").status_code == 403


def test_exercise_autocomplete_works_for_therapists(therapist_client):
    make_exercise(slug="nordic", name="Nordic curl", kind="eccentric", position="kneeling")
    response = therapist_client.get(
        "/admin/autocomplete/",
        {
            "term": "nordic",
            "app_label": "programs",
            "model_name": "prescription",
            "field_name": "exercise",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Nordic curl"]
