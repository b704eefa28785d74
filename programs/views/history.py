"""History (sessions, adherence, the pain and effort chart) and the whole plan."""

import datetime
from itertools import groupby

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from exercises.models import Exercise
from programs import page_cache, schedule
from programs.charts import pain_effort_chart
from programs.models import ExerciseSession, SetLog
from programs.views.access import _chosen_program, _no_program, patient_page

HISTORY_WEEKS = 4  # one phone-sized page of history; earlier weeks are a link away


@patient_page
@require_GET
@page_cache.cached
def history(request):
    window = _history_window(request)
    if window is None:
        messages.error(
            request, gettext_lazy("That link had a date we couldn't read, so here is your latest.")
        )
        return redirect("programs:history")
    since, until = window
    mine = ExerciseSession.objects.filter(program__patient__user=request.user)
    sessions = list(
        mine.filter(date__range=(since, until))
        .annotate(
            steps_total=Count("set_logs"),
            steps_done=Count("set_logs", filter=Q(set_logs__status="done")),
        )
        .order_by("-date", "-slot")
    )
    logs = (
        SetLog.objects.filter(session__in=[s.pk for s in sessions])
        .exclude(status=SetLog.Status.PENDING)
        .only(*LOG_FIELDS)
        .order_by()
    )
    program = _chosen_program(request)
    earlier = mine.filter(date__lt=since).exists()
    # With nothing before the window, the page starts where the record does.
    starts = [s.date for s in sessions] + ([program.start_date] if program else [])
    shown_from = since if earlier or not starts else max(since, min(starts))
    context = {
        "nav": "history",
        "since": shown_from,
        "until": until,
        "sessions": sessions,
        "weeks": _adherence(program, sessions, since, until) if program else [],
        "chart": pain_effort_chart(
            [s for s in reversed(sessions) if s.is_finished and s.pain_during is not None]
        ),
        "exercise_logs": _exercise_logs(logs, sessions),
        "earlier": earlier and since - datetime.timedelta(days=1),
        "later": until < timezone.localdate() and until + datetime.timedelta(weeks=HISTORY_WEEKS),
    }
    return render(request, "programs/history.html", context)


LOG_FIELDS = [
    *("side", "status", "reps_done", "seconds_done", "pain", "position"),
    *("target_reps_low", "target_reps_high", "target_seconds", "exercise_id", "session_id"),
]


def _history_window(request):
    """The first and last day the history page shows (?until=YYYY-MM-DD, at most today)."""
    today = timezone.localdate()
    value = request.GET.get("until")
    try:
        until = min(datetime.date.fromisoformat(value), today) if value else today
        return until - datetime.timedelta(weeks=HISTORY_WEEKS, days=-1), until
    except (ValueError, OverflowError):  # OverflowError: a date near year 1
        return None


def _adherence(program, sessions, since, until):
    """Sessions finished of planned, per program week in the window (one planned_sessions call)."""
    first = max(since, program.start_date)
    if first > until:
        return []
    week = program.week_of(until)
    last = program.week_start(week) + datetime.timedelta(days=6) if week else until
    planned = program.planned_sessions(first, last)
    finished = [s.week for s in sessions if s.program_id == program.pk and s.is_finished]
    current = program.week_of(timezone.localdate())
    return [
        {**vars(row), "current": row.week == current}
        for row in schedule.adherence(program.plan, planned, finished)
    ]


def _exercise_logs(logs, sessions):
    """Per exercise, one row per session: what was done next to the target.

    The sets come without joins (a year of them made a model instance of the exercise and of
    the session for every set); the window's sessions are already loaded, and the exercises
    (a handful, in the patient's language) take one query.
    """
    logs = list(logs)
    by_pk = {s.pk: s for s in sessions}
    exercises = {e.pk: e for e in Exercise.objects.filter(pk__in={log.exercise_id for log in logs})}

    def order(log):
        session = by_pk[log.session_id]
        exercise = exercises[log.exercise_id]
        return (exercise.name, exercise.pk, session.date, session.slot, log.position)

    result = []
    logs.sort(key=order)
    for exercise_id, rows in groupby(logs, key=lambda log: log.exercise_id):
        by_session = [
            {"session": by_pk[session_id], "sets": ", ".join(log.result_text for log in sets)}
            for session_id, sets in groupby(rows, key=lambda log: log.session_id)
        ]
        result.append({"exercise": exercises[exercise_id], "sessions": by_session[::-1]})
    return result


@patient_page
@require_GET
@page_cache.cached
def program_detail(request):
    program = _chosen_program(request)
    if program is None:
        return _no_program(request)
    context = plan_context(program, timezone.localdate())
    return render(request, "programs/program_detail.html", context)


def plan_context(program, day):
    """The whole plan by week ranges, and the printed handout (also printed from the admin)."""
    state, state_date = program.state_on(day)
    prescriptions = list(program.prescriptions.select_related("exercise"))
    ranges = [
        {
            "first": first,
            "last": last,
            "start": program.week_start(first),
            "items": [
                rx.key
                for rx in schedule.in_order(p.rx for p in prescriptions)
                if rx.key.applies_in(first)
            ],
        }
        for first, last in program.week_ranges(prescriptions)
    ]
    context = {"nav": "program", "program": program, "ranges": ranges, "day": day}
    context |= {"state": state, "state_date": state_date}
    context |= {"handout": _handout(program, prescriptions), "therapist": program.patient.therapist}
    return context


def _handout(program, prescriptions):
    """The printed plan: each exercise once, with its doses week by week, in the plan's order."""
    exercises = {}
    for rx in schedule.in_order(p.rx for p in prescriptions):
        row = rx.key
        exercises.setdefault(row.exercise_id, {"exercise": row.exercise, "rows": []})
        last = row.week_to or program.weeks
        exercises[row.exercise_id]["rows"].append(
            {"row": row, "first": row.week_from, "last": last}
        )
    for item in exercises.values():
        item["rows"].sort(key=lambda r: r["row"].week_from)
        item["ceiling"] = min(r["row"].ceiling for r in item["rows"])  # the strictest rule
    return list(exercises.values())
