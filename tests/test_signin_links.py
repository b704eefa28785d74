"""Sign-in link tokens leave the URL after the first request; one sign-in ends the others."""

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from programs.models import SigninLink

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


def test_opening_a_link_moves_its_token_out_of_the_url(client, cara):
    link, token = SigninLink.issue(cara)
    response = client.get(f"/accounts/link/{token}/")
    assertRedirects(response, "/accounts/link/confirm/", fetch_redirect_response=False)
    page = client.get("/accounts/link/confirm/")
    assertContains(page, "Sign me in")
    assert token not in page.content.decode()
    assert 'action="/accounts/link/confirm/"' in page.content.decode()
    link.refresh_from_db()
    assert link.used_at is None and not signed_in(client)  # opening it only asks


def test_confirming_signs_in_without_the_token_in_any_url(client, cara):
    link, token = SigninLink.issue(cara)
    client.get(f"/accounts/link/{token}/")
    response = client.post("/accounts/link/confirm/")
    assertRedirects(response, "/accounts/password/")
    assert signed_in(client)
    assert token not in response["Location"]
    link.refresh_from_db()
    assert link.used_at is not None
    assert "signin_link_token" not in client.session


def test_the_confirm_page_without_a_link_says_it_does_not_work(client):
    for method in (client.get, client.post):
        response = method("/accounts/link/confirm/")
        assertContains(response, "Email me a new link", status_code=410)
    assert not signed_in(client)


def test_a_used_link_is_refused_before_any_redirect(client, cara):
    _, token = SigninLink.issue(cara)
    client.get(f"/accounts/link/{token}/")
    client.post("/accounts/link/confirm/")
    client.logout()
    response = client.get(f"/accounts/link/{token}/")
    assertContains(response, "This link was already used", status_code=410)


def test_the_token_in_the_session_is_used_once(client, cara):
    _, token = SigninLink.issue(cara)
    client.get(f"/accounts/link/{token}/")
    client.post("/accounts/link/confirm/")
    client.logout()
    response = client.post("/accounts/link/confirm/")
    assert response.status_code == 410
    assert not signed_in(client)


def test_redeeming_a_link_ends_the_patients_other_open_links(client, cara, other_patient):
    older, older_token = SigninLink.issue(cara)
    used, token = SigninLink.issue(cara)
    bobs, _ = SigninLink.issue(other_patient)
    client.get(f"/accounts/link/{token}/")
    client.post("/accounts/link/confirm/")
    client.logout()
    response = client.get(f"/accounts/link/{older_token}/")
    assertContains(response, "This link has expired", status_code=410)
    older.refresh_from_db()
    used.refresh_from_db()
    assert older.used_at is None and older.expires <= used.used_at
    bobs.refresh_from_db()
    assert bobs.expires > bobs.created and bobs.used_at is None  # other patients' links stay
    assert client.get(f"/accounts/link/{older_token}/").status_code == 410
