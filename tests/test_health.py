import pytest


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    assert client.get("/healthz").status_code == 503


def test_favicon_ico_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
