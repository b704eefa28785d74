"""The installable app: manifest, service worker, and a sign-out that clears the phone."""

import pytest
from django.contrib.staticfiles import finders
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["display"], manifest["short_name"]) == (
        "/",
        "standalone",
        "Creekside",
    )
    assert manifest["theme_color"] == "#1f5f7a"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_the_service_worker_is_served_from_the_root_and_never_stale(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assertContains(response, 'addEventListener("fetch"')
    assert client.post("/sw.js").status_code == 405


def test_every_page_links_the_manifest_and_names_only_a_patient(client, alice, therapist):
    page = alice.get("/")
    assertContains(page, '<link rel="manifest" href="/manifest.webmanifest">')
    assertContains(page, '<p id="offline-banner" class="offline-banner" role="status" hidden></p>')
    assertNotContains(page, '<meta name="offline-user" content="">')
    alice.logout()
    assertContains(alice.get("/accounts/login/"), '<meta name="offline-user" content="">')
    alice.force_login(therapist)
    assertContains(alice.get("/library/"), '<meta name="offline-user" content="">')


def test_signing_out_tells_the_browser_to_clear_what_it_kept(alice):
    response = alice.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in alice.get("/accounts/login/")
