import pytest

from exercises.models import Exercise
from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db


def test_prescription_autocomplete_offers_only_active_exercises(admin_client, exercise):
    make_exercise(slug="retired", name="Retired curl", is_active=False)
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "curl",
            "app_label": "programs",
            "model_name": "prescription",
            "field_name": "exercise",
        },
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Standing hamstring curl"]


def pick(client, term):
    """The prescription picker's answer for term (the exercise admin's own endpoint)."""
    response = client.get(
        "/admin/exercises/exercise/autocomplete/",
        {
            "term": term,
            "app_label": "programs",
            "model_name": "prescription",
            "field_name": "exercise",
        },
    )
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("eccentric", 10),  # by kind: all ten lengthening exercises, not the one named so
        ("glide", 5),  # the four nerve glides (the slump slider among them), the Askling glider
        ("nerve glide", 4),
        ("kneeling", 1),  # by position
        ("band", 3),  # by equipment
    ],
)
def test_the_picker_searches_kind_position_and_equipment(admin_client, protocols, term, expected):
    names = [row["text"] for row in pick(admin_client, term)]
    assert len(names) == expected, names
    if term == "glide":
        assert "Seated slump slider" in names


def test_each_choice_carries_kind_picture_and_default_dose(admin_client, protocols):
    (diver,) = pick(admin_client, "diver")
    assert diver == {
        "id": str(Exercise.objects.get(slug="askling-diver").pk),
        "text": "Askling Diver",
        "kind": "Eccentric",
        "position": "Standing",
        "thumbnail": "/media/exercises/askling-diver.svg",
        "one_leg": True,
        "defaults": {
            "sets": 3,
            "reps": "6",
            "hold_seconds": None,
            "tempo": "",
            "rest_seconds": 60,
        },
    }


def test_the_prescription_row_uses_the_rich_picker(therapist_client, program):
    response = therapist_client.get(f"/admin/programs/program/{program.pk}/change/")
    assert 'data-ajax--url="/admin/exercises/exercise/autocomplete/"' in response.content.decode()
    assert "js/admin-prescriptions.js" in response.content.decode()


def test_the_picker_needs_a_staff_sign_in(client, exercise):
    response = client.get(
        "/admin/exercises/exercise/autocomplete/",
        {
            "term": "curl",
            "app_label": "programs",
            "model_name": "prescription",
            "field_name": "exercise",
        },
    )
    assert response.status_code == 302
