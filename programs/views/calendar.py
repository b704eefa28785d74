"""The patient's calendar feed: the planned sessions of the next 8 weeks, and nothing clinical.

Made on each request from the plan, so a calendar app that fetches it again sees plan changes.
Each event says only "Home exercises (Creekside)" and links to Today; its alarm rings at the
patient's reminder time (09:00 if they never chose one).
"""

import datetime
import hashlib

import icalendar
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from creekside.language import use_patient_language
from programs.models import CalendarFeed, Patient, ReminderSettings
from programs.models.reminders import DEFAULT_REMINDER_TIME
from programs.tasks import patient_locale
from programs.views.access import patient_page

FEED_WEEKS = 8
# All an event says: no exercise, body part or plan.
EVENT_TITLE = gettext_lazy("Home exercises (Creekside)")
SIX_HOURS = datetime.timedelta(hours=6)  # how often calendar apps should fetch it again
FILENAME = "creekside-home-exercises.ics"


def feed_ics(feed, now=None):
    """The feed's iCalendar text: one all-day event per planned session, each with an alarm."""
    patient = feed.patient
    now = now or timezone.now()
    today = now.astimezone(patient.tzinfo).date()
    program = patient.current_program()
    last = today + datetime.timedelta(weeks=FEED_WEEKS, days=-1)
    planned = program.planned_sessions(today, last) if program else []
    choice = ReminderSettings.objects.filter(patient=patient).first()
    ring = choice.time_of_day if choice else DEFAULT_REMINDER_TIME
    calendar = icalendar.Calendar()
    with patient_locale(patient):
        calendar.add("prodid", "-//Creekside HEP//Home exercises//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", str(EVENT_TITLE))
        calendar.add("refresh-interval", SIX_HOURS, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", SIX_HOURS)
        for session in planned:
            calendar.add_component(_event(feed, session, now.astimezone(datetime.UTC), ring))
    return calendar.to_ical()


def _event(feed, session, stamp, ring):
    url = settings.SITE_URL + reverse("programs:today")
    event = icalendar.Event()
    # Stable across fetches (so apps update, not duplicate) and telling nothing about who.
    uid = hashlib.sha256(f"{feed.token_hash}:{session.date}:{session.slot}".encode())
    event.add("uid", f"{uid.hexdigest()[:32]}@creekside-hep")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.date)
    event.add("dtend", session.date + datetime.timedelta(days=1))
    event.add("summary", str(EVENT_TITLE))
    event.add("description", _("Your home exercises for today: %(url)s") % {"url": url})
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", str(EVENT_TITLE))
    alarm.add("trigger", datetime.timedelta(hours=ring.hour, minutes=ring.minute))
    event.add_component(alarm)
    return event


def _ics_response(feed, download=False):
    response = HttpResponse(feed_ics(feed), content_type="text/calendar; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def calendar_feed(request, token):
    """The feed at its secret address, for calendar apps (they send no cookie)."""
    feed = CalendarFeed.find(token)
    if feed is None:
        raise Http404("No such calendar.")
    return _ics_response(feed)


def _patient(request):
    patient = get_object_or_404(Patient, user=request.user)
    use_patient_language(request, patient)
    return patient


@patient_page
@require_safe
def calendar_download(request):
    return _ics_response(CalendarFeed.for_patient(_patient(request)), download=True)


class WebcalRedirect(HttpResponseRedirect):
    allowed_schemes = ["webcal"]


@patient_page
@require_safe
def calendar_add(request):
    """Open the calendar app on the feed (webcal://): Today links here, so it needs no query."""
    return WebcalRedirect(feed_urls(CalendarFeed.for_patient(_patient(request)))["webcal"])


@patient_page
@require_POST
def calendar_renew(request):
    """A new secret address: calendars subscribed to the old one stop updating."""
    CalendarFeed.for_patient(_patient(request)).renew()
    messages.success(request, _("Your calendar has a new address. Add it to your calendar again."))
    return redirect(reverse("programs:reminder_settings") + "#calendar")


def feed_urls(feed):
    """The https:// address and its webcal:// twin (which opens the calendar app)."""
    https = settings.SITE_URL + reverse("programs:calendar_feed", args=[feed.token])
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}
