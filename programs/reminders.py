"""Reminders: which one is due for whom, and the short email it is.

The rules (docs/operations.md, "Reminders"): at the patient's time, in their time zone, on the days
they chose; a gentle note the day after a missed session if they asked for one; never while the
plan is paused, finished or not started. Each (patient, day, kind) is queued once: its outbox key
is unique, so two schedulers at the same minute send it once.
"""

import datetime
from collections import Counter
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from programs import schedule
from programs.models import OutboxEmail, ReminderSettings, SetLog, SigninLink
from programs.notices import has_password
from programs.tasks import patient_locale, queue_email

ONE_DAY = datetime.timedelta(days=1)
# Later than this after its time (the worker was down), a reminder is skipped, not sent late.
GRACE = datetime.timedelta(hours=2)
UNSUBSCRIBE_SALT = "programs.reminders.unsubscribe"


class Due(NamedTuple):
    kind: str
    day: datetime.date
    at: datetime.datetime
    missed: bool  # yesterday's planned session didn't happen (and the patient asked to hear)


def send_due(now):
    """Queue every reminder due at now, each once; return how many were queued."""
    choices = ReminderSettings.objects.filter(enabled=True, by_email=True).select_related(
        "patient__user"
    )
    queued = 0
    for choice in choices:
        due = due_for(choice, now)
        if due is not None and _queue(choice, due):
            queued += 1
    return queued


def due_for(choice, now):
    """The reminder due for this patient's choice at now, or None."""
    patient = choice.patient
    if not choice.is_on or (patient.user is not None and not patient.user.is_active):
        return None
    zone = patient.tzinfo
    day = now.astimezone(zone).date()
    at = datetime.datetime.combine(day, choice.time_of_day, tzinfo=zone)
    if not at <= now < at + GRACE or at < choice.changed:
        return None
    kinds = [OutboxEmail.Kind.REMINDER, OutboxEmail.Kind.MISSED]
    if OutboxEmail.objects.filter(key__in=[_key(k, patient, day) for k in kinds]).exists():
        return None  # today's has gone
    program = patient.current_program()
    if program is None or program.state_on(day)[0] != "running":
        return None  # quiet while the plan is paused, finished or yet to start
    missed = choice.missed_yesterday and missed_on(program, day - ONE_DAY)
    if open_sessions(program, day) and (
        not choice.session_days_only or program.planned_sessions(day, day)
    ):
        return Due(OutboxEmail.Kind.REMINDER, day, at, missed)
    if missed and not program.sessions.filter(date=day, finished__isnull=False).exists():
        return Due(OutboxEmail.Kind.MISSED, day, at, True)
    return None


def open_sessions(program, day):
    """The sessions Today offers on day that aren't finished yet."""
    prescriptions = list(program.prescriptions.select_related("exercise"))
    start = program.week_start(program.week_of(day))
    finished = list(
        program.sessions.filter(
            date__range=(start, start + 6 * ONE_DAY), finished__isnull=False
        ).values_list("pk", "date", "slot")
    )
    other_days = [pk for pk, date, _ in finished if date != day]
    pairs = SetLog.objects.filter(session__in=other_days).values_list("prescription", "session")
    counts = Counter(prescription for prescription, _ in pairs.order_by().distinct())
    done = {p: counts[p.pk] for p in prescriptions if counts[p.pk]}
    offered = schedule.sessions_on(program.plan, [p.rx for p in prescriptions], day, done)
    done_today = {slot for _, date, slot in finished if date == day}
    return [planned for planned in offered if planned.slot not in done_today]


def missed_on(program, day):
    """Whether day had a planned session and none was done, leaving the week behind its plan.

    Behind, not just a quiet day: with "3 a week, any days", a session done early still counts.
    """
    if program.state_on(day)[0] != "running" or not program.planned_sessions(day, day):
        return False
    start = program.week_start(program.week_of(day))
    finished = list(
        program.sessions.filter(date__range=(start, day), finished__isnull=False).values_list(
            "date", flat=True
        )
    )
    return day not in finished and len(program.planned_sessions(start, day)) > len(finished)


def _key(kind, patient, day):
    return f"{kind}:{patient.pk}:{day.isoformat()}"


def _queue(choice, due):
    """Queue the email; None when another scheduler queued it first (its key is taken)."""
    patient = choice.patient
    try:
        with transaction.atomic(), patient_locale(patient):
            url = _today_url(patient)
            unsubscribe = settings.SITE_URL + unsubscribe_path(patient)
            context = {
                "patient": patient,
                "url": url,
                "unsubscribe_url": unsubscribe,
                "missed": due.missed,
                "kind": due.kind,
                "clinic": {"name": settings.CLINIC_NAME, "phone": settings.CLINIC_PHONE},
            }
            if due.kind == OutboxEmail.Kind.REMINDER:
                subject = gettext("Your home exercises today")
            else:
                subject = gettext("Yesterday's exercises: no worries")
            return queue_email(
                _key(due.kind, patient, due.day),
                due.kind,
                patient.email,
                subject,
                render_to_string("emails/reminder.txt", context),
                html=render_to_string("emails/reminder.html", context),
                headers={
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "Auto-Submitted": "auto-generated",
                },
                patient=patient,
                stale_after=due.at + GRACE,
            )
    except IntegrityError:  # the same key at the same moment: the link made here is undone
        return None


def _today_url(patient):
    """Today's page; for a patient without a password, a single-use sign-in link to it."""
    if has_password(patient):
        return settings.SITE_URL + reverse("programs:today")
    _, token = SigninLink.issue(patient)
    return settings.SITE_URL + reverse("signin_link_redeem", args=[token])


def unsubscribe_path(patient):
    token = signing.dumps(patient.pk, salt=UNSUBSCRIBE_SALT)
    return reverse("programs:reminders_unsubscribe", args=[token])


def patient_for_unsubscribe(token):
    """The patient pk a signed unsubscribe token names, or None."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
