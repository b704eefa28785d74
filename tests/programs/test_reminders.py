"""Reminders: the patient's settings page, the rules, the email, unsubscribing signed out."""

import datetime
import io
import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs import reminders, services
from programs.models import OutboxEmail, Program, ReminderSettings, SigninLink
from tests.conftest import LONDON, MONDAY, days, make_program, prescribe, start

pytestmark = pytest.mark.django_db

SIX_PM = datetime.time(18, 0)


def choose(patient, **fields):
    """The patient's choice, saved now as the settings page saves it."""
    fields = {"enabled": True, "time_of_day": SIX_PM, **fields}
    return ReminderSettings.objects.create(patient=patient, changed=timezone.now(), **fields)


def run_at(clock, day, hour, minute=0):
    clock.set(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON))
    return reminders.send_due(timezone.now())


def finish(program, day, slot=1):
    session = start(program, day, slot)
    services.finish_session(session, pain_during=2, effort=4)


def subjects():
    return [message.subject for message in mail.outbox]


# The settings page -------------------------------------------------------------------------


def test_it_sends_anonymous_to_sign_in(client):
    assertRedirects(
        client.get("/settings/reminders/"), "/accounts/login/?next=/settings/reminders/"
    )


def test_today_links_to_reminders_and_the_calendar(alice, program):
    response = alice.get("/")
    assertContains(response, 'href="/settings/reminders/"')
    assertContains(response, 'href="/calendar/add/"')
    assertContains(response, 'href="/calendar/download/"')


def test_reminders_are_off_until_the_patient_turns_them_on(alice, patient):
    response = alice.get("/settings/reminders/")
    assert response.context["form"]["enabled"].value() is False
    assert response.context["form"]["missed_yesterday"].value() is False
    assertContains(response, "alice@example.test")


def test_the_patient_turns_reminders_on_in_their_time_zone(alice, patient):
    data = {
        "enabled": "on",
        "by_email": "on",
        "time_of_day": "18:30:00",
        "time_zone": "America/New_York",
        "session_days_only": "on",
    }
    response = alice.post("/settings/reminders/", data, follow=True)
    assertContains(response, "Your reminders are on.")
    choice = ReminderSettings.objects.get(patient=patient)
    assert choice.is_on and choice.time_of_day == datetime.time(18, 30)
    assert not choice.missed_yesterday
    patient.refresh_from_db()
    assert patient.time_zone == "America/New_York"


def test_on_needs_a_way_to_be_reminded(alice, patient):
    data = {"enabled": "on", "time_of_day": "18:00:00", "time_zone": "Europe/London"}
    response = alice.post("/settings/reminders/", data)
    assertContains(response, "email is the only way for now")
    assert not ReminderSettings.objects.exists()


def test_the_therapist_sees_the_choice_but_cannot_switch_it_on(therapist_client, patient):
    choose(patient, missed_yesterday=True)
    response = therapist_client.get(f"/admin/programs/patient/{patient.pk}/change/")
    assertContains(response, "By email at 18:00 (Europe/London), on session days")
    assertNotContains(response, 'name="enabled"')
    assertContains(response, 'name="time_zone"')  # where the patient lives is the clinic's to set


# When a reminder is due --------------------------------------------------------------------


def test_a_reminder_goes_at_its_time_once(patient, program, clock):
    choose(patient)
    assert run_at(clock, MONDAY, 17, 59) == 0
    assert run_at(clock, MONDAY, 18, 0) == 1
    assert run_at(clock, MONDAY, 18, 0) == 0  # a second run at the same minute
    assert run_at(clock, MONDAY, 18, 1) == 0
    assert subjects() == ["Your home exercises today"]
    assert OutboxEmail.objects.get().key == f"reminder:{patient.pk}:2026-11-02"


def test_the_command_sends_what_is_due(patient, program, clock):
    choose(patient)
    clock.set(datetime.datetime(2026, 11, 2, 18, 5, tzinfo=LONDON))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert out.getvalue().startswith("1 reminder(s) queued")
    assert len(mail.outbox) == 1


def test_the_time_is_the_patients_own(patient, program, clock):
    patient.time_zone = "America/New_York"  # 18:00 there is 23:00 in London in November
    patient.save()
    choose(patient)
    assert run_at(clock, MONDAY, 18) == 0
    assert run_at(clock, MONDAY, 23) == 1


def test_a_reminder_hours_late_is_skipped(patient, program, clock):
    choose(patient)
    assert run_at(clock, MONDAY, 20, 30) == 0  # the worker was down at 18:00


def test_a_time_that_passed_before_saving_waits_for_tomorrow(patient, exercise, clock):
    Program.objects.filter(patient=patient).delete()
    prescribe(make_program(patient), exercise, frequency="daily", frequency_count=1)
    clock.set(datetime.datetime(2026, 11, 2, 18, 30, tzinfo=LONDON))
    choose(patient)
    assert run_at(clock, MONDAY, 18, 45) == 0
    assert run_at(clock, MONDAY + days(1), 18) == 1


@pytest.mark.parametrize("status", ["paused", "completed"])
def test_quiet_while_the_plan_is_paused_or_finished(patient, program, clock, status):
    program.change_status(status, MONDAY)
    program.save()
    choose(patient)
    assert run_at(clock, MONDAY, 18) == 0


def test_quiet_after_the_plan_ends_and_before_it_starts(patient, program, clock):
    choose(patient)
    assert run_at(clock, MONDAY - days(7), 18) == 0
    assert run_at(clock, MONDAY + days(7 * 6), 18) == 0


def test_quiet_when_off_or_for_an_inactive_account(patient, program, clock):
    choice = choose(patient, enabled=False)
    assert run_at(clock, MONDAY, 18) == 0
    choice.enabled = True
    choice.save()
    patient.user.is_active = False
    patient.user.save()
    assert run_at(clock, MONDAY, 18) == 0


def test_not_once_todays_session_is_done(patient, program, clock):
    choose(patient)
    finish(program, MONDAY)
    assert run_at(clock, MONDAY, 18) == 0


def test_session_days_only_or_any_day_a_session_is_open(patient, program, clock):
    # 3 sessions a week, any days: planned on Monday, Wednesday and Friday.
    choice = choose(patient)
    assert run_at(clock, MONDAY + days(1), 18) == 0
    choice.session_days_only = False
    choice.save()
    assert run_at(clock, MONDAY + days(1), 18) == 1


# The day after a missed session ------------------------------------------------------------


@pytest.fixture
def mon_wed_fri(patient, exercise):
    Program.objects.filter(patient=patient).delete()
    program = make_program(patient)
    prescribe(program, exercise, frequency="weekdays", weekdays="0,2,4")
    return program


def test_no_missed_note_unless_asked(patient, mon_wed_fri, clock):
    choose(patient)
    assert run_at(clock, MONDAY + days(1), 18) == 0


def test_a_gentle_note_the_day_after_a_missed_session(patient, mon_wed_fri, clock):
    choose(patient, missed_yesterday=True)
    assert run_at(clock, MONDAY + days(1), 18) == 1
    message = mail.outbox[0]
    assert message.subject == "Yesterday's exercises: no worries"
    assert "that's OK" in message.body
    assert OutboxEmail.objects.get().kind == "missed"


def test_no_missed_note_after_a_session_done(patient, mon_wed_fri, clock):
    choose(patient, missed_yesterday=True)
    finish(mon_wed_fri, MONDAY)
    assert run_at(clock, MONDAY + days(1), 18) == 0


def test_a_missed_day_and_a_session_day_make_one_email(patient, exercise, clock):
    Program.objects.filter(patient=patient).delete()
    prescribe(make_program(patient), exercise, frequency="daily", frequency_count=1)
    choose(patient, missed_yesterday=True)
    assert run_at(clock, MONDAY + days(1), 18) == 1
    assert subjects() == ["Your home exercises today"]
    assert "Yesterday's session didn't happen" in mail.outbox[0].body


def test_a_session_done_early_in_the_week_is_not_missed(alice, patient, program, clock):
    # 3 a week on any days, nominally Mon/Wed/Fri: Mon and Tue done, so Wednesday isn't behind.
    for day in (MONDAY, MONDAY + days(1)):
        clock.set(day)
        alice.post("/sessions/start/", {"slot": "1"})
        services.finish_session(program.sessions.get(date=day), pain_during=2, effort=4)
    choose(patient, missed_yesterday=True, session_days_only=False)
    assert reminders.missed_on(program, MONDAY + days(2)) is False
    assert run_at(clock, MONDAY + days(3), 18) == 1
    assert "Yesterday's session" not in mail.outbox[0].body


# The email ---------------------------------------------------------------------------------


def test_the_email_is_short_with_one_button_and_an_unsubscribe(patient, program, clock):
    choose(patient)
    run_at(clock, MONDAY, 18)
    message = mail.outbox[0]
    assert len(message.body.split()) < 60
    html = message.alternatives[0].content
    links = re.findall(r'href="([^"]+)"', html)
    assert links[0] == settings.SITE_URL + "/" and len(links) == 2  # the button, then stop
    unsubscribe = links[1]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On one line, as mail apps read it (folding would turn the URL into encoded words).
    assert f"List-Unsubscribe: <{unsubscribe}>".encode() in message.message().as_bytes()
    assert "hamstring" not in message.body.lower() and "Standing" not in html
    assert OutboxEmail.objects.get().body == ""  # sent: the text isn't kept


def test_a_patient_without_a_password_gets_a_sign_in_link(cara, exercise, clock):
    prescribe(make_program(cara), exercise, frequency="daily", frequency_count=1)
    choose(cara)
    run_at(clock, MONDAY, 18)
    link = SigninLink.objects.get(patient=cara)
    token = re.search(r"/accounts/link/([^/]+)/", mail.outbox[0].body).group(1)
    assert link.token_hash == SigninLink.hash_token(token)


# Unsubscribing, signed out -----------------------------------------------------------------


def unsubscribe_url(patient):
    return reminders.unsubscribe_path(patient)


def test_unsubscribe_works_signed_out(client, patient, program, clock):
    choice = choose(patient)
    url = unsubscribe_url(patient)
    assertContains(client.get(url), "Stop reminder emails?")
    choice.refresh_from_db()
    assert choice.enabled  # opening the link (a mail scanner) changes nothing
    assertContains(client.post(url), "Reminders are off")
    choice.refresh_from_db()
    assert not choice.enabled and choice.unsubscribed is not None
    assert run_at(clock, MONDAY, 18) == 0


def test_one_click_unsubscribe_from_the_mail_app(patient, program):
    choice = choose(patient)
    mail_app = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token (RFC 8058)
    response = mail_app.post(unsubscribe_url(patient), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    choice.refresh_from_db()
    assert not choice.enabled


def test_a_forged_unsubscribe_link_is_refused(client, patient):
    choice = choose(patient)
    url = unsubscribe_url(patient)
    assert client.post(url[:-3] + "xx/").status_code == 404
    assert client.get("/reminders/unsubscribe/not-a-token/").status_code == 404
    choice.refresh_from_db()
    assert choice.enabled


# Two schedulers at the same minute (PostgreSQL) --------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (CI runs them with DATABASE_URL)",
)
def test_two_schedulers_at_the_same_minute_send_one_reminder(patient, program, clock):
    choose(patient)
    clock.set(datetime.datetime(2026, 11, 2, 18, 0, tzinfo=LONDON))
    barrier = threading.Barrier(4)
    results = []

    def scheduler():
        try:
            barrier.wait()
            results.append(reminders.send_due(timezone.now()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert len(mail.outbox) == 1 and OutboxEmail.objects.count() == 1
