"""A patient whose sign-in ran out: back to sign-in, then back to a page that opens."""

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from programs import services
from programs.models import SetLog
from tests.conftest import ALICE_EMAIL, ALICE_PASSWORD, HTMX

pytestmark = pytest.mark.django_db


def test_a_post_comes_back_to_the_session_page(client, step):
    response = client.post(f"/sessions/{step.session_id}/steps/{step.pk}/complete/")
    login = f"/accounts/login/?next=/sessions/{step.session_id}/"
    assertRedirects(response, login)
    assert not SetLog.objects.exclude(status="pending").exists()


def test_under_htmx_the_whole_page_goes_to_sign_in(client, step):
    response = client.post(f"/sessions/{step.session_id}/steps/{step.pk}/complete/", headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next=/sessions/{step.session_id}/"
    assert response.content == b""


def test_an_htmx_get_comes_back_to_the_same_url(client, step):
    url = f"/sessions/{step.session_id}/steps/{step.pk}/stop/"
    response = client.get(url, headers=HTMX)
    assert response["HX-Redirect"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/sessions/start/", "/checkin/"])
def test_other_posts_come_back_to_today(client, url):
    assertRedirects(client.post(url), "/accounts/login/?next=/", fetch_redirect_response=False)


def test_a_get_keeps_its_query_string(client):
    response = client.get("/history/?until=2026-11-11")
    assertRedirects(response, "/accounts/login/?next=/history/%3Funtil%3D2026-11-11")


def test_after_signing_in_the_session_carries_on_at_the_same_step(client, step):
    services.complete_step(step.session, step.pk, reps_done=10)
    second = step.session.set_logs.all()[1]
    url = f"/sessions/{step.session_id}/steps/{second.pk}/complete/"
    response = client.post(url, headers=HTMX)
    credentials = {"username": ALICE_EMAIL, "password": ALICE_PASSWORD}
    page = client.post(response["HX-Redirect"], credentials, follow=True)
    assertRedirects(page, f"/sessions/{step.session_id}/")
    assertContains(page, "Step 2 of 3")
    second.refresh_from_db()
    assert second.status == "pending"
