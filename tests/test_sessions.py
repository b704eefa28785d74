import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creekside import sessions

pytestmark = pytest.mark.django_db


def session_writes(client, path="/library/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def touch_clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(sessions.time, "time", lambda: now[0])
    return now


def test_a_signed_in_session_is_written_at_most_every_few_minutes(
    client, patient, touch_clock, settings
):
    client.force_login(patient.user)
    assert session_writes(client) == 1
    touch_clock[0] += settings.SESSION_TOUCH_SECONDS - 1
    assert session_writes(client) == 0
    touch_clock[0] += 1
    assert session_writes(client) == 1


def test_touching_slides_the_expiry(client, patient, touch_clock, settings):
    client.force_login(patient.user)
    client.get("/library/")
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=1))
    touch_clock[0] += settings.SESSION_TOUCH_SECONDS
    client.get("/library/")
    assert Session.objects.get().expire_date > session.expire_date - timezone.timedelta(seconds=5)


def test_an_idle_session_lapses(client, patient):
    client.force_login(patient.user)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_visitors_get_no_session(client):
    client.get("/library/")
    assert not Session.objects.exists()
