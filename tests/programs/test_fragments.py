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


CARD = re.compile(r'<section id="step-card"[^>]*>(.*?)</section>', re.S)
TEXT_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _offline_card(page, step):
    found = re.search(rf'<template data-step="{step.pk}"[^>]*>(.*?)</template>', page, re.S)
    return TEXT_TOKEN.sub("-", found.group(1)).strip()


@pytest.mark.parametrize("kept", [True, False], ids=["kept", "rendered-afresh"])
def test_after_done_the_live_card_is_the_offline_card_of_the_next_step(alice, session, kept):
    first, second = list(session.set_logs.all())[:2]
    page = alice.get(session.get_absolute_url()).content.decode()
    if not kept:
        cache.clear()
    done = alice.post(
        f"/sessions/{session.pk}/steps/{first.pk}/complete/", {"reps_done": "10"}, headers=HTMX
    )
    card = TEXT_TOKEN.sub("-", CARD.search(done.content.decode()).group(1)).strip()
    assert card == _offline_card(page, second)
    assert 'data-rest-after="' in card  # the rest after the set just done, as offline shows it
    assert b"csrf-token-placeholder" not in done.content


def test_the_next_card_comes_from_the_page_opened_before(alice, session, monkeypatch):
    from programs.views import cards, fragments

    first = session.set_logs.first()
    alice.get(session.get_absolute_url())
    rendered = []
    real = fragments._render
    monkeypatch.setattr(
        fragments, "_render", lambda r, name, c: rendered.append(name) or real(r, name, c)
    )
    done = alice.post(
        f"/sessions/{session.pk}/steps/{first.pk}/complete/", {"reps_done": "10"}, headers=HTMX
    )
    assert done.status_code == 200 and rendered == []
    assert cards.BODY not in rendered
    assert len(TOKEN.findall(done.content)) == 2  # Done and Skip, with this request's token


def test_a_card_with_errors_is_never_kept(alice, session):
    first = session.set_logs.first()
    alice.get(session.get_absolute_url())
    bad = alice.post(
        f"/sessions/{session.pk}/steps/{first.pk}/complete/", {"reps_done": "-4"}, headers=HTMX
    )
    assert b"errorlist" in bad.content
    again = alice.get(session.get_absolute_url(), headers=HTMX).content
    assert b"errorlist" not in again


@pytest.mark.parametrize("seconds", [0, 300], ids=["pages-not-kept", "pages-kept"])
def test_a_page_rendered_with_a_notice_or_errors_carries_real_tokens_in_its_offline_cards(
    alice, session, settings, seconds
):
    settings.PATIENT_PAGE_SECONDS = seconds
    first = session.set_logs.first()
    alice.get(session.get_absolute_url())  # the offline cards now in the cache
    # Without htmx, a Done with a bad count answers the whole page with the error on it.
    bad = alice.post(f"/sessions/{session.pk}/steps/{first.pk}/complete/", {"reps_done": "-4"})
    assert bad.status_code == 200 and b"errorlist" in bad.content
    assert b"csrf-token-placeholder" not in bad.content
    tokens = TOKEN.findall(bad.content)
    assert len(tokens) > 4  # the live card's forms and every offline card's
    page = alice.get(session.get_absolute_url()).content
    assert b"csrf-token-placeholder" not in page and len(TOKEN.findall(page)) > 4
