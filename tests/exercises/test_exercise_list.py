import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db


def test_it_groups_exercises_by_kind(client, exercise):
    make_exercise(slug="nordic", name="Nordic curl", kind="eccentric", position="kneeling")
    make_exercise(slug="slump", name="Seated slump slider", kind="nerve_glide", position="sitting")
    response = client.get("/library/")
    assert response.status_code == 200
    assertContains(response, 'id="concentric"')
    assertContains(response, 'id="eccentric"')
    assertContains(response, 'id="nerve_glide"')
    assertContains(response, "Nordic curl")
    assertContains(response, 'href="/library/slump/"')
    assertContains(response, "gently tightens one end of the nerve")
    assert response.content.decode().index(
        "Standing hamstring curl"
    ) < response.content.decode().index("Nordic curl")


def test_it_hides_inactive_exercises(client, exercise):
    make_exercise(slug="retired", name="Retired move", is_active=False)
    response = client.get("/library/")
    assertNotContains(response, "Retired move")


@pytest.mark.parametrize("count", [1, 12])
def test_it_uses_one_query_whatever_the_size(client, django_assert_num_queries, count):
    for i in range(count):
        make_exercise(slug=f"move-{i}", name=f"Move {i}")
    with django_assert_num_queries(1):
        response = client.get("/library/")
    assert response.status_code == 200


def test_it_rejects_post(client):
    assert client.post("/library/").status_code == 405


def test_kind_tags_are_in_patient_words(client, exercise):
    response = client.get("/library/")
    assertContains(response, "Strength (shortening)")
    assertContains(response, "Strength (lengthening)")
    assertNotContains(response, ">Concentric<")
    assertContains(client.get("/library/standing-hamstring-curl/"), "Strength (shortening)")
