"""Background tasks: every email the app sends, and the reminder scheduler's minute.

An email is first a row in the outbox (OutboxEmail), written in the transaction that makes what
it is about, with its delivery task: the request never talks to the mail server. The task sends
it once (the row stays locked while it does), and on failure records the error and enqueues
itself again later, a bounded number of times. The minute tick also re-enqueues emails whose
task was lost (a worker killed mid-task).
"""

import contextlib
import datetime
import logging
from email import policy as email_policy
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation

from programs.models import OutboxEmail, SchedulerTick

logger = logging.getLogger(__name__)

RETRY_MINUTES = [1, 5, 30, 120, 360]  # the wait after the 1st, 2nd… failed attempt
LOST_AFTER = datetime.timedelta(minutes=10)  # due this long and not tried: its task was lost
REMINDERS_TICK = "reminders"
ONE_MINUTE = datetime.timedelta(minutes=1)


@contextlib.contextmanager
def patient_locale(patient):
    """Render in the patient's language and time zone (dates, times, gettext)."""
    language = settings.LANGUAGE_CODE if patient.language == "en" else patient.language
    with translation.override(language), timezone.override(patient.tzinfo):
        yield


def queue_email(key, kind, to, subject, body, *, html="", headers=None, **fields):
    """Keep an email in the outbox and enqueue its delivery; return the row.

    Call it inside the transaction that makes what the email is about, so both stand or fall
    together. A key used before raises IntegrityError: each email is queued once.
    """
    now = timezone.now()
    with transaction.atomic():
        email = OutboxEmail.objects.create(
            created=now,
            next_attempt=now,
            key=key,
            kind=kind,
            to=to,
            subject=subject,
            body=body,
            html=html,
            headers=headers or {},
            **fields,
        )
        deliver_email.enqueue(email.pk)
    return email


@task
def deliver_email(email_id):
    """Send one outbox email, once; on failure record why and try again later."""
    now = timezone.now()
    with transaction.atomic():
        # The update takes the row's lock (PostgreSQL) or the write lock (SQLite) before the
        # send, so a second task for this email waits here and then finds it sent.
        claimed = (
            OutboxEmail.pending()
            .filter(pk=email_id, next_attempt__lte=now)
            .update(attempts=F("attempts") + 1)
        )
        if not claimed:
            return "not due"
        email = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if email.stale_after and now > email.stale_after:
            return _give_up(email, "too late to be useful", now)
        try:
            _message(email).send()
        except Exception as error:  # SMTP down or refusing: the row records it
            return _failed(email, error, now)
        email.sent = now
        email.body = email.html = ""
        email.save(update_fields=["sent", "body", "html"])
    return "sent"


class _URLHeaders(email_policy.EmailPolicy):
    """Write List-Unsubscribe on one line: folded, its URL would become encoded words that mail
    apps don't read as a URL (one line stays far under RFC 5322's 998 characters)."""

    def fold(self, name, value):
        if name.lower() == "list-unsubscribe":
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "list-unsubscribe":
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


class _OutboxMessage(EmailMultiAlternatives):
    def message(self, *, policy=email_policy.default):
        keep = ("linesep", "utf8", "max_line_length", "cte_type", "mangle_from_")
        return super().message(policy=_URLHeaders(**{k: getattr(policy, k) for k in keep}))


def _message(email):
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    # The same Message-ID on every attempt, so a mail server that got it once can drop a copy.
    headers = {"Message-ID": f"<outbox-{email.pk}.{email.created:%Y%m%d%H%M%S}@{domain}>"}
    message = _OutboxMessage(
        email.subject, email.body, None, [email.to], headers={**headers, **email.headers}
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _failed(email, error, now):
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        return _give_up(email, email.last_error, now)
    wait = RETRY_MINUTES[min(email.attempts, len(RETRY_MINUTES)) - 1]
    email.next_attempt = now + datetime.timedelta(minutes=wait)
    email.save(update_fields=["last_error", "next_attempt"])
    if deliver_email.get_backend().supports_defer:
        deliver_email.using(run_after=email.next_attempt).enqueue(email.pk)
    logger.warning(
        "Email %s (%s) not sent, attempt %d: %s; next try at %s",
        email.pk,
        email.kind,
        email.attempts,
        email.last_error,
        email.next_attempt.isoformat(),
    )
    return "retry"


def _give_up(email, why, now):
    email.failed = now
    email.last_error = why
    email.body = email.html = ""
    email.save(update_fields=["failed", "last_error", "body", "html"])
    logger.error(
        "Email %s (%s) given up after %d attempts: %s", email.pk, email.kind, email.attempts, why
    )
    return "failed"


def requeue_lost_emails(now=None):
    """Enqueue again the emails due for a while that no task tried; return how many."""
    now = now or timezone.now()
    lost = list(
        OutboxEmail.pending()
        .filter(next_attempt__lte=now - LOST_AFTER)
        .values_list("pk", flat=True)[:500]
    )
    for pk in lost:
        with transaction.atomic():
            OutboxEmail.objects.filter(pk=pk).update(next_attempt=now)
            deliver_email.enqueue(pk)
    return len(lost)


# The reminder scheduler ---------------------------------------------------------------------


@task
def reminders_tick(minute):
    """Once a minute: queue the reminders due, requeue lost emails, enqueue the next minute.

    Each run claims its minute first; a second chain of ticks (the worker started twice) loses
    the claim for a minute the first one took, and stops.
    """
    minute = datetime.datetime.fromisoformat(minute)
    if not SchedulerTick.claim(REMINDERS_TICK, minute):
        return "another scheduler has this minute"
    now = timezone.now()
    schedule_reminders(max(minute + ONE_MINUTE, _whole_minute(now)))
    from programs import reminders  # reminders queues its emails with this module

    return {"reminders": reminders.send_due(now), "requeued": requeue_lost_emails(now)}


def schedule_reminders(minute=None):
    """Enqueue the tick for minute (the next whole minute); False if the backend can't wait."""
    if not reminders_tick.get_backend().supports_defer:
        return False
    minute = minute or _whole_minute(timezone.now()) + ONE_MINUTE
    reminders_tick.using(run_after=minute).enqueue(minute.isoformat())
    return True


def _whole_minute(when):
    return when.replace(second=0, microsecond=0)
