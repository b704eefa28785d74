"""Session actions sent by the phone (static/js/session-offline.js), each once, with its time.

The phone gives every Done, skip, stop and finish an id (crypto.randomUUID) and the time the
patient pressed the button. Offline, it keeps them and sends them in order later; the server
stores each id once, and a set already logged from another device keeps that log.
"""

import datetime
import uuid
from typing import NamedTuple

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

# What happened to an action, in the response's HEADER (read by session-offline.js).
APPLIED = "applied"
SENT_BEFORE = "duplicate"  # this id was applied before: a replay, a retry or a second tab
RECORDED_ELSEWHERE = "conflict"  # another device logged it first, and its log stays
INVALID = "invalid"
HEADER = "X-Offline-Sync"
ELSEWHERE_NOTICE = _("That was already saved from another device or tab, so we kept that one.")


class Sent(NamedTuple):
    """The phone's id and time for an action; both None from a form without JavaScript."""

    client_id: uuid.UUID | None = None
    at: datetime.datetime | None = None


def sent(request, session):
    """Read client_id and logged_at from a POST about session."""
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return Sent()
    return Sent(client_id, clamp(request.POST.get("logged_at", ""), session))


def clamp(value, session, now=None):
    """The phone's ISO 8601 time, kept within the session's day, after its start, and not ahead.

    A phone's clock can be wrong, and a queue can be sent days later: its times may say when a
    set was done, but never put it on another day or in the future.
    """
    now = now or timezone.now()
    try:
        at = parse_datetime(value or "")
    except ValueError:
        at = None
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at, datetime.UTC)
    day_start = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time.min))
    day_end = day_start + datetime.timedelta(days=1, microseconds=-1)
    earliest = max(day_start, session.started)
    return min(max(at, earliest), day_end, now)


def outcome(sent, model, applied):
    """APPLIED, SENT_BEFORE or RECORDED_ELSEWHERE; None for an action without a client id."""
    if sent.client_id is None:
        return None
    if applied:
        return APPLIED
    if model.objects.filter(client_id=sent.client_id).exists():
        return SENT_BEFORE
    return RECORDED_ELSEWHERE


def mark(response, result):
    """Tell the phone what became of its action."""
    if result:
        response[HEADER] = result
    return response
