import pytest
from pytest_django.asserts import assertContains

from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db


def test_it_shows_steps_cues_and_stops(client, exercise):
    response = client.get("/library/standing-hamstring-curl/")
    assert response.status_code == 200
    assertContains(response, "<h1>Standing hamstring curl</h1>", html=True)
    assertContains(response, "<li>Bend one knee.</li>", html=True)
    assertContains(response, "Keep your thighs level.")
    assertContains(response, "Stop and tell your therapist if")
    assertContains(response, "<li>Sharp pain.</li>", html=True)
    assertContains(response, "Strength while the muscle shortens")


def test_it_404s_for_unknown_or_inactive(client):
    make_exercise(slug="retired", is_active=False)
    assert client.get("/library/retired/").status_code == 404
    assert client.get("/library/nope/").status_code == 404


def test_it_uses_one_query(client, exercise, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/library/standing-hamstring-curl/")
