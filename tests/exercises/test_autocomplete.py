import pytest

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
