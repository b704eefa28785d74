"""The private calendar feed: the next 8 weeks' planned sessions, and a renewable address."""

import datetime

import icalendar
import pytest
from django.conf import settings
from django.db.models import Q
from pytest_django.asserts import assertContains

from programs.models import CalendarFeed, Program, ReminderSettings
from tests.conftest import MONDAY, days, make_program, prescribe

pytestmark = pytest.mark.django_db

EIGHT_WEEKS = days(8 * 7 - 1)


def feed_path(patient):
    return f"/calendar/{CalendarFeed.for_patient(patient).token}.ics"


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def open_ended(patient, exercise):
    """A plan with no end, mixing fixed days and twice-daily rows, so 8 weeks are all planned."""
    Program.objects.filter(patient=patient).delete()
    program = make_program(patient, weeks=None)
    prescribe(program, exercise, frequency="weekdays", weekdays="0,3")
    prescribe(program, exercise, frequency="daily", frequency_count=2, week_from=3, side="left")
    return program


def test_the_feeds_events_are_the_planned_sessions_of_the_next_8_weeks(
    client, patient, open_ended, clock
):
    clock.set(MONDAY + days(3))
    today = MONDAY + days(3)
    calendar = parsed(client.get(feed_path(patient)))  # signed out: a calendar app
    events = calendar.walk("VEVENT")
    planned = open_ended.planned_sessions(today, today + EIGHT_WEEKS)
    assert [event.start for event in events] == [session.date for session in planned]
    assert len(planned) > 8 * 2 and max(e.start for e in events) <= today + EIGHT_WEEKS
    assert len({str(event["uid"]) for event in events}) == len(events)
    for event in events:
        assert str(event["summary"]) == "Home exercises (Creekside)"
        assert "http://" in str(event["description"]) or "https://" in str(event["description"])
        (alarm,) = event.walk("VALARM")
        assert alarm["trigger"].dt == datetime.timedelta(hours=9)


def test_the_feed_tells_nothing_clinical(client, patient, program, exercise):
    text = client.get(feed_path(patient)).content.decode()
    for private in (patient.name, patient.email, program.title, exercise.name, "hamstring"):
        assert private.lower() not in text.lower()


def test_the_feed_follows_plan_changes(client, patient, program, clock):
    path = feed_path(patient)
    before = len(parsed(client.get(path)).walk("VEVENT"))
    program.prescriptions.update(frequency="daily", frequency_count=1)
    after = len(parsed(client.get(path)).walk("VEVENT"))
    assert (before, after) == (18, 42)  # 3 a week, then daily, for the plan's 6 weeks
    program.change_status("paused", MONDAY)
    program.save()
    assert parsed(client.get(path)).walk("VEVENT") == []


def test_the_alarm_rings_at_the_reminder_time(client, patient, program, clock):
    ReminderSettings.objects.create(patient=patient, time_of_day=datetime.time(18, 30))
    event = parsed(client.get(feed_path(patient))).walk("VEVENT")[0]
    assert event.walk("VALARM")[0]["trigger"].dt == datetime.timedelta(hours=18, minutes=30)


def test_a_renewed_address_ends_the_old_one(alice, patient, program):
    old = feed_path(patient)
    assert alice.get(old).status_code == 200
    response = alice.post("/settings/calendar/renew/", follow=True)
    assertContains(response, "Your calendar has a new address")
    new = feed_path(patient)
    assert new != old
    assert alice.get(old).status_code == 404
    assert alice.get(new).status_code == 200


def test_the_token_is_stored_only_as_a_hash(patient):
    feed = CalendarFeed.for_patient(patient)
    assert feed.token_hash == CalendarFeed.hash_token(feed.token)
    assert not CalendarFeed.objects.filter(Q(secret=feed.token) | Q(token_hash=feed.token)).exists()


def test_an_unknown_address_is_404(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_add_to_my_calendar_opens_the_calendar_app(alice, patient, program):
    response = alice.get("/calendar/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("webcal://")
    assert response["Location"].endswith(feed_path(patient))


def test_the_download_is_the_same_calendar_as_a_file(alice, patient, program):
    response = alice.get("/calendar/download/")
    assert response["Content-Disposition"] == 'attachment; filename="creekside-home-exercises.ics"'
    assert len(parsed(response).walk("VEVENT")) == 18


def test_the_settings_page_shows_the_address_and_a_way_to_renew_it(alice, patient, program):
    response = alice.get("/settings/reminders/")
    host = settings.SITE_URL.split("://")[1]
    assertContains(response, f"webcal://{host}{feed_path(patient)}")
    assertContains(response, 'action="/settings/calendar/renew/"')


def test_renewing_needs_sign_in_and_a_post(client, alice):
    assert alice.get("/settings/calendar/renew/").status_code == 405
    client.logout()
    assert client.post("/settings/calendar/renew/").status_code == 302
