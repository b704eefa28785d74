"""No 500s: dates at the calendar's ends, bad URLs, a mail server that is down (issue 13, 5-6)."""

import datetime
import re
import socket

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertRedirects

from programs import schedule, tasks
from programs.models import OutboxEmail, Program, SigninLink
from programs.schedule import Plan, Rx
from tests.conftest import MONDAY, make_program, prescribe

pytestmark = pytest.mark.django_db

FAR_DATES = [
    datetime.date(1, 1, 1),
    datetime.date(1300, 1, 1),
    datetime.date(9999, 12, 1),
    datetime.date(9999, 12, 31),
]
RX = [
    Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=3),
    Rx(key=2, frequency=schedule.EVERY_N_DAYS, frequency_count=2, week_from=3),
    Rx(key=3, frequency=schedule.DAILY, frequency_count=2),
]


# The schedule core at the calendar's ends --------------------------------------------------


@pytest.mark.parametrize("start", FAR_DATES)
@pytest.mark.parametrize("weeks", [None, 1, 6, 104])
@pytest.mark.parametrize("status", ["active", "paused", "completed"])
def test_the_schedule_never_overflows_at_the_ends_of_the_calendar(start, weeks, status):
    since = datetime.date.min if status != "active" else None
    plan = Plan(start_date=start, weeks=weeks, status=status, status_since=since)
    for day in (datetime.date.min, start, MONDAY, datetime.date.max):
        schedule.plan_state(plan, day)
        schedule.week_of(plan, day)
    schedule.end_date(plan)
    schedule.week_start(plan, 10**6)
    month = start + datetime.timedelta(days=30) if start.year < 9999 else datetime.date.max
    near_start = schedule.planned_sessions(plan, RX, start, month)
    at_the_end = schedule.planned_sessions(plan, RX, datetime.date(9999, 12, 1), datetime.date.max)
    schedule.planned_sessions(plan, RX, MONDAY, MONDAY + datetime.timedelta(days=27))
    schedule.adherence(plan, near_start + at_the_end, [1, 2])
    assert all(p.date <= datetime.date.max for p in at_the_end)


def test_shifted_holds_at_the_ends_of_the_calendar():
    assert schedule.shifted(datetime.date(9999, 12, 30), days=5) == datetime.date.max
    assert schedule.shifted(datetime.date(1, 1, 2), weeks=-1) == datetime.date.min
    assert schedule.shifted(MONDAY, weeks=1, days=-1) == datetime.date(2026, 11, 8)


def test_a_plan_running_to_the_last_day_there_is_plans_that_day():
    plan = Plan(start_date=datetime.date(9999, 12, 27), weeks=None)
    rx = Rx(key=1, frequency=schedule.DAILY, frequency_count=1)
    planned = schedule.planned_sessions(plan, [rx], datetime.date(9999, 12, 30), datetime.date.max)
    assert [p.date for p in planned] == [datetime.date(9999, 12, 30), datetime.date.max]


# Patient pages over a start date stored before the constraint -------------------------------


@pytest.fixture
def stored_without_checks():
    """Let a row break a CHECK constraint, as rows saved before the constraint existed do."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite can switch CHECK constraints off for one connection")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.mark.parametrize("start", FAR_DATES)
@pytest.mark.parametrize("weeks", [None, 6])
@pytest.mark.parametrize("url", ["/", "/program/", "/history/", "/history/?until=2026-10-01"])
def test_patient_pages_survive_a_start_date_at_the_ends_of_the_calendar(
    alice, patient, exercise, stored_without_checks, start, weeks, url
):
    program = make_program(patient, weeks=weeks)
    prescribe(program, exercise, frequency="daily", frequency_count=1)
    Program.objects.filter(pk=program.pk).update(start_date=start, status_since=start)
    assert alice.get(url).status_code == 200


# Bad URLs: 404, 400, 405 or a redirect, never a 500 ------------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", f"/sessions/{HUGE}/", None),
        ("get", "/sessions/2147483648/", None),
        ("get", "/sessions/9223372036854775808/", None),
        ("get", "/sessions/abc/", None),
        ("post", f"/sessions/{HUGE}/finish/", {"pain_during": "1", "effort": "2"}),
        ("post", f"/sessions/{HUGE}/stop-today/", None),
        ("post", f"/sessions/1/steps/{HUGE}/complete/", {"reps_done": "10"}),
        ("post", f"/sessions/{HUGE}/steps/1/skip/", {"reason": "Other"}),
        ("post", f"/sessions/1/steps/{HUGE}/stop/", {"pain": "3"}),
        ("post", "/sessions/start/", {"slot": HUGE}),
        ("post", "/sessions/start/", {"slot": "abc"}),
        ("post", "/checkin/", {"session": HUGE, "pain": "2"}),
        ("post", "/checkin/", {"session": "abc", "pain": "99"}),
        ("get", "/history/?until=9999-99-99", None),
        ("get", "/history/?until=9999-12-31", None),
        ("get", "/history/?until=0001-01-01", None),
        ("get", "/history/?until=99999-01-01", None),
        ("get", "/history/?until=2026-11-02%00", None),
        ("get", "/history/?until=", None),
        ("get", "/history/export/exe/", None),
        ("get", f"/outcomes/{HUGE}/", None),
        ("post", f"/outcomes/{HUGE}/", {"answer": "1"}),
        ("get", "/sessions/1/?stopped=" + HUGE, None),
        ("get", f"/library/{'x' * 500}/", None),
        ("get", "/library/?q=%00", None),
        ("get", f"/accounts/link/{'x' * 5000}/", None),
        ("post", f"/accounts/link/{HUGE}/", None),
        ("get", "/accounts/link/confirm/", None),
        ("post", f"/accounts/links/new/{HUGE}/", None),
    ],
)
def test_bad_input_in_a_patient_url_never_answers_500(session, alice, method, url, data):
    response = getattr(alice, method)(url, data or {})
    assert response.status_code in (200, 302, 303, 400, 403, 404, 405, 410), response.status_code


def test_an_unreadable_history_date_comes_back_to_the_latest(alice, program):
    response = alice.get("/history/?until=9999-99-99", follow=True)
    assertRedirects(response, "/history/")
    assertContains(response, "That link had a date we couldn")


# Emailed sign-in links with the mail server down ---------------------------------------------


@pytest.fixture
def mail_server_down(settings):
    """Mail goes to a local port where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def test_a_link_request_with_the_mail_server_down_still_answers(client, cara, mail_server_down):
    # The email waits in the outbox and its task tries again later (programs/tasks.py).
    response = client.post("/accounts/link/", {"email": "cara@example.test"})
    assertRedirects(response, "/accounts/link/sent/", fetch_redirect_response=False)
    assert SigninLink.objects.count() == 1
    waiting = OutboxEmail.objects.get()
    assert (
        waiting.sent is None and waiting.attempts == 1 and "refused" in waiting.last_error.lower()
    )


def test_links_waiting_for_the_mail_server_count_against_the_hourly_limit(
    client, cara, clock, settings, mail_server_down
):
    for _ in range(5):
        client.post("/accounts/link/", {"email": "cara@example.test"})
    assert SigninLink.objects.count() == OutboxEmail.objects.count() == 3
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    clock.advance(minutes=15)
    tasks.requeue_lost_emails()
    assert len(mail.outbox) == 3  # each once, when the server is back


# Known and unknown emails: the same work ----------------------------------------------------


def queries_for(client, email):
    with CaptureQueriesContext(connection) as captured:
        client.post("/accounts/link/", {"email": email})
    # The statement's kind and table, without savepoint names or values.
    return [re.sub(r'"s\w+_x\d+"', "", q["sql"])[:60] for q in captured.captured_queries]


def test_an_unknown_email_runs_the_same_queries_as_a_known_one(client, cara, clock, settings):
    settings.SIGNIN_LINK_EMAILS_PER_HOUR = 1
    known_first = queries_for(client, "cara@example.test")
    known_at_limit = queries_for(client, "cara@example.test")
    unknown = queries_for(client, "nobody@example.test")
    assert unknown == known_at_limit
    assert known_first[: len(unknown) - 1] == unknown[:-1]  # then the link is written and sent
    assert len(mail.outbox) == 1


def test_an_unknown_email_makes_and_hashes_a_token_too(client, cara, monkeypatch):
    hashed = []
    real = SigninLink.hash_token
    monkeypatch.setattr(
        SigninLink, "hash_token", staticmethod(lambda t: hashed.append(t) or real(t))
    )
    client.post("/accounts/link/", {"email": "nobody@example.test"})
    client.post("/accounts/link/", {"email": "cara@example.test"})
    assert len(hashed) == 2 and len(hashed[0]) == len(hashed[1])


# "Start for a patient…" when another start wins the race ----------------------------------


def test_a_start_that_clashes_with_another_says_so_instead_of_failing(
    therapist_client, patient, exercise, monkeypatch
):
    template = make_program(None, title="Knee protocol")
    prescribe(template, exercise)

    def clash(*args, **kwargs):
        raise IntegrityError("programs_program_one_active_per_patient")

    monkeypatch.setattr("programs.admin.programs.copy_template", clash)
    response = therapist_client.post(
        "/admin/programs/program/",
        {
            "action": "start_for_patient",
            "_selected_action": str(template.pk),
            "apply": "1",
            "patient": str(patient.pk),
            "start_date": MONDAY.isoformat(),
            "status": "active",
        },
        follow=True,
    )
    assertContains(response, "Another plan for this patient was made active at the same moment")
    assert not Program.objects.plans().exists()
