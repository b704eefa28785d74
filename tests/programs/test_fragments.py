"""The session page's cached cards (programs/views/fragments.py): the same page, fresh tokens."""

import re

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains

from tests.conftest import HTMX

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_a_cached_card_is_the_card_rendered_afresh(alice, session):
    url = session.get_absolute_url()
    first = alice.get(url, headers=HTMX).content
    again = alice.get(url, headers=HTMX).content
    cache.clear()
    fresh = alice.get(url, headers=HTMX).content
    assert TOKEN.sub(b"-", again) == TOKEN.sub(b"-", first) == TOKEN.sub(b"-", fresh)
    assert b"csrf-token-placeholder" not in again
    assert len(TOKEN.findall(again)) == 2  # Done and Skip, each with this request's token


def test_the_whole_page_carries_this_requests_token_in_every_form(alice, session):
    url = session.get_absolute_url()
    alice.get(url)
    page = alice.get(url).content  # the offline cards from the cache
    tokens = TOKEN.findall(page)
    assert len(tokens) > 4 and b"csrf-token-placeholder" not in page
    done = session.set_logs.first()
    # A token from the cached part of the page is accepted on a POST.
    alice.handler.enforce_csrf_checks = True
    response = alice.post(
        f"/sessions/{session.pk}/steps/{done.pk}/complete/",
        {"reps_done": "10", "csrfmiddlewaretoken": tokens[-1].decode()},
        headers=HTMX,
    )
    assert response.status_code == 200


def test_an_edit_to_the_exercise_shows_at_once(alice, session, exercise):
    url = session.get_absolute_url()
    assertContains(alice.get(url, headers=HTMX), "Standing hamstring curl")
    exercise.name = "Standing curl, renamed"
    exercise.save()
    assertContains(alice.get(url, headers=HTMX), "Standing curl, renamed")


def test_a_logged_set_moves_the_card_on(alice, session):
    first, second = list(session.set_logs.all())[:2]
    url = session.get_absolute_url()
    assertContains(alice.get(url, headers=HTMX), f"/steps/{first.pk}/complete/")
    alice.post(f"/sessions/{session.pk}/steps/{first.pk}/complete/", {"reps_done": "10"})
    assertContains(alice.get(url, headers=HTMX), f"/steps/{second.pk}/complete/")


def test_a_card_is_kept_per_language(alice, session, patient, exercise):
    exercise.name_es = "Curl de pie"
    exercise.save()
    url = session.get_absolute_url()
    assertContains(alice.get(url, headers=HTMX), "Standing hamstring curl")
    patient.language = "es"
    patient.save()
    response = alice.get(url, headers=HTMX)
    assertContains(response, "Curl de pie")
    assert "Standing hamstring curl" not in response.content.decode()
