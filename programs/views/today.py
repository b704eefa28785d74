"""Today: the session due, the week's progress and the next-morning check-in."""

import datetime
from collections import Counter

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs import page_cache, schedule, services
from programs.forms import CheckinForm
from programs.models import SetLog
from programs.models.program import PlannedItem, PlannedSession
from programs.views.access import _chosen_program, _get_session, _no_program, patient_page
from programs.views.outcomes import pending_requests

LOOK_AHEAD_DAYS = 28  # how far today's page looks for the next planned session
CHECKIN_AFTER = datetime.timedelta(hours=8)


@patient_page
@require_GET
@page_cache.cached
def today(request):
    day = timezone.localdate()
    program = _chosen_program(request)
    if program is None:
        return _no_program(request)
    state, state_date = program.state_on(day)
    if state != "running":
        return _today_not_running(request, program, day, state, state_date)
    prescriptions = list(program.prescriptions.select_related("exercise"))
    week = program.week_of(day)
    week_start = program.week_start(week)
    week_end = week_start + datetime.timedelta(days=6)
    planned_week = program.planned_sessions(week_start, week_end, prescriptions)
    sessions = {
        (s.date, s.slot): s
        for s in program.sessions.filter(date__range=(week_start, week_end)).annotate(
            steps_total=Count("set_logs"),
            steps_done=Count("set_logs", filter=~Q(set_logs__status="pending")),
        )
    }
    done = _done_this_week(prescriptions, sessions.values(), day)
    rows = [p.rx for p in prescriptions]
    due = [(p, sessions.get(p.key)) for p in _sessions_on(program, rows, day, done)]
    per_day = max((p.slot for p in planned_week), default=1)
    upcoming = schedule.next_session(program.plan, rows, day, done, LOOK_AHEAD_DAYS)
    context = {
        "nav": "today",
        "program": program,
        "day": day,
        "state": "running",
        "due": due,
        "main_key": next((p.key for p, s in due if not (s and s.is_finished)), None),
        "week_done": sum(1 for s in sessions.values() if s.is_finished),
        "week_planned": len(planned_week),
        "today_done": sum(1 for p, s in due if s and s.is_finished),
        "per_day": per_day,
        "any_days": _any_days(rows, week),
        "next_session": upcoming,
        "checkin": _checkin(request, program),
        "outcome_requests": list(pending_requests(request.user)),  # read here, not in {% if %}
    }
    return render(request, "programs/today.html", context)


def _done_this_week(prescriptions, sessions, day):
    """Per prescription, the finished sessions on the week's other days that had it."""
    finished = [s.pk for s in sessions if s.is_finished and s.date != day]
    if not finished:
        return {}
    pairs = SetLog.objects.filter(session__in=finished).values_list("prescription", "session")
    counts = Counter(prescription for prescription, _ in pairs.order_by().distinct())
    return {p: counts[p.pk] for p in prescriptions if counts[p.pk]}


def _sessions_on(program, rows, day, done):
    """schedule.sessions_on as PlannedSessions, which services.start_session starts."""
    return [
        PlannedSession(
            program, s.date, s.slot, s.week, [PlannedItem(rx.key, s.week) for rx in s.items]
        )
        for s in schedule.sessions_on(program.plan, rows, day, done)
    ]


def _any_days(rows, week):
    """Sessions a week the plan asks for on any days in this week (its largest such row)."""
    counts = [
        rx.frequency_count
        for rx in rows
        if rx.frequency == schedule.PER_WEEK and schedule.applies_in(rx, week)
    ]
    return max(counts, default=0)


def _today_not_running(request, program, day, state, state_date):
    """Today for a plan that starts later, is paused, or has finished: no start button."""
    context = {"nav": "today", "program": program, "day": day}
    context |= {"state": state, "state_date": state_date}
    context["outcome_requests"] = list(pending_requests(request.user))
    if state == "upcoming":
        first = program.planned_sessions(
            state_date, schedule.shifted(state_date, days=LOOK_AHEAD_DAYS)
        )
        context["preview"] = first[0] if first else None
    else:
        context["checkin"] = _checkin(
            request, program
        )  # the last session may still want its check-in
    return render(request, "programs/today.html", context)


def _checkin(request, program):
    """The next-morning check-in form for the last finished session, when it is due."""
    last = program.sessions.filter(finished__isnull=False).order_by("-finished").first()
    if last is None or last.next_morning_pain is not None:
        return None
    now = timezone.now()
    if (
        timezone.localdate(last.finished) == timezone.localdate()
        and now - last.finished < CHECKIN_AFTER
    ):
        page_cache.valid_until(request, last.finished + CHECKIN_AFTER)  # due then (or tomorrow)
        return None
    form = CheckinForm(initial={"session": last.pk})
    morning = timezone.localtime(now).hour < 12
    if morning:  # "this morning" until noon
        noon = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0)
        page_cache.valid_until(request, noon)
    form.fields["pain"].label = (
        _("How does your hamstring feel this morning?")
        if morning
        else _("How does your hamstring feel today?")
    )
    return {"form": form, "session": last}


@patient_page
@require_POST
def session_start(request):
    day = timezone.localdate()
    program = _chosen_program(request)
    if program is None:
        raise Http404("No active program.")
    slot = request.POST.get("slot", "1")
    planned = next((p for p in _sessions_today(program, day) if str(p.slot) == slot), None)
    if planned is None:
        raise Http404("No session is planned for today.")
    return redirect(services.start_session(planned))


def _sessions_today(program, day):
    """What Today offers: fixed-day rows as planned, sessions a week on any day with room."""
    if program.state_on(day)[0] != "running":
        return []
    week_start = program.week_start(program.week_of(day))
    week = program.sessions.filter(date__range=(week_start, week_start + datetime.timedelta(6)))
    prescriptions = list(program.prescriptions.select_related("exercise"))
    done = _done_this_week(prescriptions, week, day)
    return _sessions_on(program, [p.rx for p in prescriptions], day, done)


@patient_page
@require_POST
def checkin_save(request):
    form = CheckinForm(request.POST)
    if form.is_valid():
        session = _get_session(request, form.cleaned_data["session"])
        services.save_next_morning_pain(session, form.cleaned_data["pain"])
        messages.success(request, _("Thank you. Your therapist will see how you feel."))
    else:
        messages.error(request, _("Please choose a number from 0 to 10."))
    return redirect("programs:today")
