"""Background tasks: the outbox, its retries, the database worker and the minute tick."""

import datetime
import io
import signal
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from programs import tasks
from programs.models import OutboxEmail, SchedulerTick, SigninLink
from tests.conftest import POSTGRES_ONLY, race

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def queue(key="signin:1", **fields):
    return tasks.queue_email(key, "signin", "cara@example.test", "Hello", "Body", **fields)


# With the immediate backend (every other test's): the outbox rules ---------------------------


@pytest.mark.django_db
def test_an_email_is_sent_once_however_often_its_task_runs(clock):
    email = queue()
    assert tasks.deliver_email.call(email.pk) == "not due"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent is not None and email.attempts == 1 and email.body == ""


@pytest.mark.django_db
def test_a_failed_send_is_recorded_retried_later_and_then_given_up(
    clock, settings, mail_server_down
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    email = queue()
    email.refresh_from_db()
    assert (email.attempts, email.sent, email.failed) == (1, None, None)
    assert "refused" in email.last_error.lower()
    assert email.next_attempt == clock.now + datetime.timedelta(minutes=1)
    assert tasks.deliver_email.call(email.pk) == "not due"  # too early for the next try
    clock.advance(minutes=1)
    assert tasks.deliver_email.call(email.pk) == "retry"
    email.refresh_from_db()
    assert email.next_attempt == clock.now + datetime.timedelta(minutes=5)  # backing off
    clock.advance(minutes=5)
    assert tasks.deliver_email.call(email.pk) == "failed"
    email.refresh_from_db()
    assert email.failed and email.attempts == 3 and email.body == ""
    clock.advance(days=1)
    assert tasks.requeue_lost_emails() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_a_stale_reminder_is_given_up_not_sent_late(clock, mail_server_down, settings):
    email = queue(stale_after=clock.now + datetime.timedelta(minutes=30))
    settings.MAILERS = LOCMEM
    clock.advance(hours=1)
    assert tasks.deliver_email.call(email.pk) == "failed"
    assert mail.outbox == []


# With the database backend and its worker -------------------------------------------------


def run_worker():
    """`manage.py db_worker --batch`: run every task that is ready, then stop."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


@pytest.fixture
def database_tasks(settings, transactional_db):
    # Transactional: the worker checks its connection between tasks, as it does in production.
    settings.TASKS = DATABASE_TASKS


def test_a_request_only_queues_the_email_and_the_worker_sends_it(database_tasks, client, cara):
    response = client.post("/accounts/link/", {"email": "cara@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []  # the request didn't talk to the mail server
    task = DBTaskResult.objects.get()
    assert task.task_path == "programs.tasks.deliver_email" and task.status == "READY"
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cara@example.test"]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert OutboxEmail.objects.get().sent is not None
    run_worker()
    assert len(mail.outbox) == 1


def test_the_worker_retries_with_back_off_until_the_server_is_back(
    database_tasks, client, cara, clock, settings, mail_server_down
):
    client.post("/accounts/link/", {"email": "cara@example.test"})
    run_worker()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == clock.now + datetime.timedelta(minutes=1)
    settings.MAILERS = LOCMEM
    run_worker()
    assert mail.outbox == []  # not yet: it waits its minute
    clock.advance(minutes=1)
    run_worker()
    assert len(mail.outbox) == 1
    assert SigninLink.objects.count() == 1
    assert OutboxEmail.objects.get().attempts == 2


def test_the_tick_runs_each_minute_and_a_second_chain_stops(database_tasks, clock):
    for _ in range(2):
        call_command("send_reminders", "--start", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(status="READY").count() == 2  # started twice
    clock.advance(minutes=1)
    run_worker()
    results = [t.return_value for t in DBTaskResult.objects.filter(status="SUCCESSFUL")]
    assert "another scheduler has this minute" in results
    assert {"reminders": 0, "requeued": 0} in results
    (following,) = DBTaskResult.objects.filter(status="READY")  # one chain goes on
    assert following.run_after == clock.now.replace(second=0) + datetime.timedelta(minutes=1)


# Several workers at once (PostgreSQL) -----------------------------------------------------

postgres_only = POSTGRES_ONLY


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_workers_with_the_same_email_send_it_once(clock):
    email = OutboxEmail.objects.create(
        key="notice:x",
        kind="notice",
        to="a@example.test",
        subject="Hi",
        body="B",
        created=clock.now,
        next_attempt=clock.now,
    )
    assert sorted(race(tasks.deliver_email.call, email.pk)) == ["not due"] * 3 + ["sent"]
    assert len(mail.outbox) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_ticks_for_the_same_minute_run_once(clock):
    minute = clock.now.replace(second=0)
    assert sorted(race(SchedulerTick.claim, "reminders", minute)) == [False] * 3 + [True]
