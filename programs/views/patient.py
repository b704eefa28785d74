"""Patient pages: today, the guided session, history and the whole plan."""

import datetime
from functools import wraps
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from creekside.dosing import tempo_phases
from programs import services
from programs.forms import (
    CheckinForm,
    FinishForm,
    SkipForm,
    StepDoneForm,
    StopForm,
)
from programs.models import ExerciseSession, Program, SetLog

LOOK_AHEAD_DAYS = 28  # how far today's page looks for the next planned session
CHECKIN_AFTER = datetime.timedelta(hours=8)
SESSION_PAGE = "programs/session_detail.html"


# Access helpers --------------------------------------------------------------------------


def patient_page(view):
    """Sign-in required; staff belong in the admin, not on patient pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _to_sign_in(request, kwargs.get("pk"))
        if request.user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


def _to_sign_in(request, session_pk):
    """Sign in, then come back to a page that can be opened (a POST URL would answer 405)."""
    if request.method in ("GET", "HEAD"):
        after = request.get_full_path()
    elif session_pk is not None:
        after = reverse("programs:session_detail", args=[session_pk])
    else:
        after = reverse("programs:today")
    response = redirect_to_login(after)
    if request.htmx:
        # A whole page, not the sign-in form swapped into the step card.
        return HttpResponseClientRedirect(response.url)
    return response


def _chosen_program(request):
    """The plan that Today, My plan and History show, or None.

    The patient's active plan (there is at most one, started or not); else their latest
    paused or completed plan. Drafts are the therapist's, never shown.
    """
    plans = list(
        Program.objects.for_user(request.user)
        .exclude(status=Program.Status.DRAFT)
        .select_related("patient")
    )
    active = next((p for p in plans if p.status == Program.Status.ACTIVE), None)
    return active or max(
        plans, key=lambda p: (p.status_since, p.start_date, p.created), default=None
    )


def _plan_state(program, day):
    """Where the plan stands on day: ("running", None) or (state, the date to tell)."""
    Status = Program.Status
    end = program.end_date
    if program.status == Status.PAUSED:
        return "paused", program.status_since
    if program.status == Status.COMPLETED:
        return "finished", min(filter(None, [end, program.status_since]))
    if program.start_date > day:
        return "upcoming", program.start_date
    if end and day > end:
        return "finished", end
    return "running", None


def _get_session(request, pk):
    return get_object_or_404(
        ExerciseSession.objects.select_related("program"),
        pk=pk,
        program__patient__user=request.user,
    )


def _get_pending_step(request, pk, step_pk):
    """The patient's session and one of its steps; the step is None once it is logged."""
    session = _get_session(request, pk)
    step = get_object_or_404(SetLog, pk=step_pk, session=session)
    return session, step if step.status == SetLog.Status.PENDING else None


def _no_program(request):
    return render(request, "programs/no_program.html", {"nav": "today"})


# Today -----------------------------------------------------------------------------------


@patient_page
@require_GET
def today(request):
    day = timezone.localdate()
    program = _chosen_program(request)
    if program is None:
        return _no_program(request)
    state, state_date = _plan_state(program, day)
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
    due = [(p, sessions.get(p.key)) for p in planned_week if p.date == day]
    upcoming = program.planned_sessions(
        day + datetime.timedelta(days=1),
        day + datetime.timedelta(days=LOOK_AHEAD_DAYS),
        prescriptions,
    )
    context = {
        "nav": "today",
        "program": program,
        "day": day,
        "state": "running",
        "due": due,
        "main_key": next((p.key for p, s in due if not (s and s.is_finished)), None),
        "week_done": sum(1 for s in sessions.values() if s.is_finished),
        "week_planned": len(planned_week),
        "next_session": upcoming[0] if upcoming else None,
        "checkin": _checkin(program),
    }
    return render(request, "programs/today.html", context)


def _today_not_running(request, program, day, state, state_date):
    """Today for a plan that starts later, is paused, or has finished: no start button."""
    context = {"nav": "today", "program": program, "day": day}
    context |= {"state": state, "state_date": state_date}
    if state == "upcoming":
        first = program.planned_sessions(
            state_date, state_date + datetime.timedelta(days=LOOK_AHEAD_DAYS)
        )
        context["preview"] = first[0] if first else None
    else:
        context["checkin"] = _checkin(program)  # the last session may still want its check-in
    return render(request, "programs/today.html", context)


def _checkin(program):
    """The next-morning check-in form for the last finished session, when it is due."""
    last = program.sessions.filter(finished__isnull=False).order_by("-finished").first()
    if last is None or last.next_morning_pain is not None:
        return None
    now = timezone.now()
    if (
        timezone.localdate(last.finished) == timezone.localdate()
        and now - last.finished < CHECKIN_AFTER
    ):
        return None
    form = CheckinForm(initial={"session": last.pk})
    morning = timezone.localtime(now).hour < 12
    form.fields["pain"].label = (
        "How does your hamstring feel this morning?"
        if morning
        else "How does your hamstring feel today?"
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
    planned = next((p for p in program.planned_sessions(day, day) if str(p.slot) == slot), None)
    if planned is None:
        raise Http404("No session is planned for today.")
    return redirect(services.start_session(planned))


@patient_page
@require_POST
def checkin_save(request):
    form = CheckinForm(request.POST)
    if form.is_valid():
        session = _get_session(request, form.cleaned_data["session"])
        services.save_next_morning_pain(session, form.cleaned_data["pain"])
        messages.success(request, "Thank you. Your therapist will see how you feel.")
    else:
        messages.error(request, "Please choose a number from 0 to 10.")
    return redirect("programs:today")


# The guided session ----------------------------------------------------------------------


def _session_context(session, **extra):
    """Steps, the current (first pending) step, and progress for the step card."""
    steps = list(session.set_logs.select_related("exercise"))
    pending = [s for s in steps if s.status == SetLog.Status.PENDING]
    step = pending[0] if pending else None
    done = len(steps) - len(pending)
    previous = steps[step.position - 2] if step and step.position > 1 else None
    context = {
        "session": session,
        "steps": steps,
        "step": step,
        "step_number": min(done + 1, len(steps)),
        "steps_done": done,
        "steps_total": len(steps),
        "rest_after": previous.rest_seconds if _rest_between(previous, step) else 0,
        "lower_seconds": (tempo_phases(step.target_tempo) or [None])[0] if step else None,
    }
    if step and "form" not in extra:
        context["form"] = StepDoneForm(step=step)
        context["skip_form"] = SkipForm(auto_id="id_skip_%s")
    if step is None and "finish_form" not in extra:
        context["finish_form"] = FinishForm()
    return {**context, **extra}


def _rest_between(previous, step):
    """Rest comes after a finished set, not between the left and right leg of the same set."""
    if previous is None or previous.status != SetLog.Status.DONE:
        return False
    return (previous.exercise_id, previous.set_number) != (step.exercise_id, step.set_number)


def _step_response(request, session, status=200, **extra):
    """Under htmx: the step card and, out of band, the progress; otherwise the whole page."""
    context = _session_context(session, **extra)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{SESSION_PAGE}#step-update", context, status=status)
    return render(request, SESSION_PAGE, context, status=status)


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the next step
    return response


def _after_post(request, session, notice=""):
    """The next step: the card under htmx, otherwise redirect (PRG)."""
    if request.htmx:
        return _step_response(request, session, notice=notice)
    if notice:
        messages.info(request, notice)
    return _see_other(session.get_absolute_url() + "#session-progress")


@patient_page
@require_GET
@vary_on_headers("HX-Request")
def session_detail(request, pk):
    session = _get_session(request, pk)
    if session.is_finished:
        return render(request, "programs/session_done.html", _summary(session))
    return _step_response(request, session)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def step_complete(request, pk, step_pk):
    session, step = _get_pending_step(request, pk, step_pk)
    if step is None:
        return _after_post(request, session)  # a repeated submission: already logged
    form = StepDoneForm(request.POST, step=step)
    if not form.is_valid():
        return _step_response(request, session, form=form)
    data = form.cleaned_data
    services.complete_step(
        session,
        step.pk,
        reps_done=data.get("reps_done"),
        seconds_done=data.get("seconds_done"),
        load_used=data.get("load_used") or step.target_load,
    )
    return _after_post(request, session)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def step_skip(request, pk, step_pk):
    session, step = _get_pending_step(request, pk, step_pk)
    if step is None:
        return _after_post(request, session)  # a repeated submission: already logged
    form = SkipForm(request.POST, auto_id="id_skip_%s")
    if not form.is_valid():
        return _step_response(request, session, skip_form=form, skip_open=True)
    services.skip_step(session, step.pk, form.cleaned_data["reason"])
    return _after_post(request, session)


@patient_page
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def step_stop(request, pk, step_pk):
    session, step = _get_pending_step(request, pk, step_pk)
    if step is None:
        return _after_post(request, session)  # a repeated submission: already logged
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.stop_exercise(session, step, form.cleaned_data["pain"])
        notice = f"We stopped {step.exercise.name} for today. Your therapist will see it."
        return _after_post(request, session, notice)
    return _step_response(request, session, stop_step=step, stop_form=form)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def session_finish(request, pk):
    session = _get_session(request, pk)
    form = FinishForm(request.POST)
    if not session.is_finished:
        if not form.is_valid():
            return _step_response(request, session, finish_form=form)
        services.finish_session(session, **form.cleaned_data)
    if request.htmx:
        return HttpResponseClientRedirect(session.get_absolute_url())
    return _see_other(session.get_absolute_url() + "#session-progress")


def _summary(session):
    counts = {status: 0 for status in SetLog.Status.values}
    ceiling = 0
    for step in session.set_logs.only("status", "pain_ceiling"):
        counts[step.status] += 1
        ceiling = max(ceiling, step.pain_ceiling)
    return {
        "nav": "today",
        "session": session,
        "counts": counts,
        "planned": sum(counts.values()),
        "ceiling": ceiling,
        "over_ceiling": session.pain_during is not None and session.pain_during > ceiling,
    }


# History and program ---------------------------------------------------------------------


HISTORY_WEEKS = 4  # one phone-sized page of history; earlier weeks are a link away


@patient_page
@require_GET
def history(request):
    window = _history_window(request)
    if window is None:
        messages.error(request, "That link had a date we couldn't read, so here is your latest.")
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
        .select_related("exercise", "session")
        .only(*LOG_FIELDS)
        .order_by("exercise__name", "exercise_id", "session__date", "session__slot", "position")
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
        "chart": _chart(
            [s for s in reversed(sessions) if s.is_finished and s.pain_during is not None]
        ),
        "exercise_logs": _exercise_logs(logs),
        "earlier": earlier and since - datetime.timedelta(days=1),
        "later": until < timezone.localdate() and until + datetime.timedelta(weeks=HISTORY_WEEKS),
    }
    return render(request, "programs/history.html", context)


LOG_FIELDS = [
    *("side", "status", "reps_done", "seconds_done", "pain", "position"),
    *("target_reps_low", "target_reps_high", "target_seconds"),
    *("exercise__name", "session__date", "session__slot"),
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
    finished = [s for s in sessions if s.program_id == program.pk and s.is_finished]
    today = timezone.localdate()
    weeks = sorted({p.week for p in planned} | {s.week for s in finished}, reverse=True)
    return [
        {
            "week": number,
            "start": program.week_start(number),
            "planned": sum(1 for p in planned if p.week == number),
            "done": sum(1 for s in finished if s.week == number),
            "current": number == program.week_of(today),
        }
        for number in weeks
    ]


CHART_W, CHART_H, CHART_PAD = 320, 170, 28


def _chart(sessions):
    """Coordinates for the pain and effort lines (0-10) of the last 30 finished sessions."""
    sessions = sessions[-30:]
    if not sessions:
        return None
    step = (CHART_W - 2 * CHART_PAD) / max(len(sessions) - 1, 1)

    def y(value):
        return round(CHART_H - CHART_PAD - value * (CHART_H - 2 * CHART_PAD) / 10, 1)

    points = []
    for i, session in enumerate(sessions):
        x = round(CHART_PAD + i * step, 1)
        effort = y(session.effort or 0)
        points.append(
            {
                "x": x,
                "pain": y(session.pain_during),
                "effort": effort,
                "square": (x - 4, effort - 4),
            }
        )
    return {
        "w": CHART_W,
        "h": CHART_H,
        "points": points,
        "pain_line": " ".join(f"{p['x']},{p['pain']}" for p in points),
        "effort_line": " ".join(f"{p['x']},{p['effort']}" for p in points),
        "grid": [{"value": v, "y": y(v)} for v in (0, 5, 10)],
        "left": CHART_PAD,
        "label_x": CHART_PAD - 6,
        "right": CHART_W - CHART_PAD,
        "first": sessions[0].date,
        "last": sessions[-1].date,
    }


def _exercise_logs(logs):
    """Per exercise, one row per session: what was done next to the target."""
    result = []
    for exercise, rows in groupby(logs, key=lambda log: log.exercise):
        by_session = [
            {"session": session, "sets": ", ".join(log.result_text for log in sets)}
            for session, sets in groupby(rows, key=lambda log: log.session)
        ]
        result.append({"exercise": exercise, "sessions": by_session[::-1]})
    return result


@patient_page
@require_GET
def program_detail(request):
    day = timezone.localdate()
    program = _chosen_program(request)
    if program is None:
        return _no_program(request)
    state, state_date = _plan_state(program, day)
    prescriptions = list(program.prescriptions.select_related("exercise").order_by("order", "pk"))
    bounds = program.weeks_with_changes(prescriptions)
    ranges = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] - 1 if i + 1 < len(bounds) else program.weeks
        items = [p for p in prescriptions if p.applies_in(first)]
        ranges.append(
            {"first": first, "last": last, "start": program.week_start(first), "items": items}
        )
    context = {"nav": "program", "program": program, "ranges": ranges}
    context |= {"state": state, "state_date": state_date}
    return render(request, "programs/program_detail.html", context)
