"""The guided session: one step (a set on one leg) at a time; htmx swaps the step card."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect
from modeltranslation.utils import get_translation_fields

from creekside.language import use_patient_language
from exercises.models import Exercise
from programs import offline, page_cache, services
from programs.forms import FinishForm, SkipForm, StepDoneForm, StopForm
from programs.models import ExerciseSession, SetLog
from programs.views import cards, fragments
from programs.views.access import _get_session, patient_page

SESSION_PAGE = "programs/session_detail.html"


# The exercise's columns the session page never shows (in every language): not loaded.
UNSHOWN = ("summary", "mistakes", "stop_if", "equipment", "source", "default_")


def _unshown():
    return [
        f"exercise__{f.attname}"
        for f in Exercise._meta.concrete_fields
        if f.attname.startswith(UNSHOWN)
    ]


def _steps(session):
    steps = session.set_logs.select_related("exercise").defer(*_unshown())
    return list(steps.order_by("position"))  # one session: no join to sort by its date


def _get_pending_step(request, pk, step_pk):
    """The patient's session, all its steps and the one to log (None once it is logged).

    One query for all (every logged set asks, and the next card needs the steps): 404 unless
    the step is in that session and the session is this patient's.
    """
    steps = list(
        SetLog.objects.select_related("exercise", "session__program__patient")
        .defer(*_unshown())
        .filter(session__pk=pk, session__program__patient__user=request.user)
        .order_by("position")  # one session's steps: no need to sort by the sessions' dates
    )
    step = next((s for s in steps if s.pk == step_pk), None)
    if step is None:
        _get_session(request, pk)  # their language for the page, or 404 for another's
        raise Http404("No such step in this session.")
    session = step.session
    for each in steps:  # one session object for all, as session.set_logs gives
        each.session = session
    use_patient_language(request, session.program.patient)
    return session, steps, step if step.status == SetLog.Status.PENDING else None


def _session_context(session, steps, **extra):
    """Steps, the current (first pending) step, and progress for the step card."""
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
    }
    if step:
        context.update(cards.body_context(session, step, cards.rest_before(previous, step)))
    if step and "form" not in extra:
        context["form"] = StepDoneForm(step=step)
        context["skip_form"] = SkipForm(auto_id="id_skip_%s")
    if step is None and "finish_form" not in extra:
        context["finish_form"] = FinishForm()
    return {**context, **extra}


def _step_response(request, session, status=200, steps=None, **extra):
    """Under htmx: the step card and, out of band, the progress; otherwise the whole page.

    On a GET, a card with nothing but the step on it (no errors, no notice, no choice after a
    stop) and the offline cards are a pure function of the steps: rendered once, then read
    from the shared cache (programs/views/fragments.py).
    """
    steps = _steps(session) if steps is None else steps
    # A POST's next card is new (a step was just logged): its body may be kept, not the card.
    cached = request.method == "GET" and not any(extra.values())
    inputs = _inputs(session, steps) if cached else None
    if request.htmx and not request.htmx.history_restore_request:
        partial = f"{SESSION_PAGE}#step-update"
        if inputs is None:
            context = cards.with_body(request, _session_context(session, steps, **extra))
            return render(request, partial, context, status=status)
        html = fragments.render(request, partial, lambda: _session_context(session, steps), inputs)
        return HttpResponse(html, status=status)
    context = cards.with_body(request, _session_context(session, steps, **extra))
    if inputs is None:
        context["offline"] = cards.offline(request, session, steps)
    else:
        context["offline_html"] = fragments.render(
            request,
            f"{SESSION_PAGE}#offline-cards",
            lambda: {**context, "offline": cards.offline(request, session, steps, True)},
            inputs,
        )
    return render(request, SESSION_PAGE, context, status=status)


def _inputs(session, steps):
    """Everything the cards show: the session, each step and its exercise, as loaded."""
    return fragments.row(session), tuple(
        (fragments.row(s), fragments.row(s.exercise)) for s in steps
    )


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser GETs the next step
    return response


def _after_post(request, session, notice="", sync=None, steps=None):
    """The next step: the card under htmx, otherwise redirect (PRG).

    sync: what became of the phone's action (programs/offline.py), told in a header.
    steps: the session's steps as they now are in the database, when the view has them.
    """
    if sync == offline.RECORDED_ELSEWHERE:
        notice = offline.ELSEWHERE_NOTICE
    if request.htmx:
        return offline.mark(_step_response(request, session, notice=notice, steps=steps), sync)
    if notice:
        messages.info(request, notice)
    return offline.mark(_see_other(session.get_absolute_url() + "#session-progress"), sync)


def _invalid(response, sent):
    return offline.mark(response, sent.client_id and offline.INVALID)


@patient_page
@require_GET
@vary_on_headers("HX-Request")
@page_cache.cached
def session_detail(request, pk):
    session = _get_session(request, pk)
    if session.is_finished:
        return render(request, "programs/session_done.html", _summary(session))
    stopped = request.GET.get("stopped", "")
    if stopped.isdigit():  # back from "Stop: this hurts" without htmx: offer the same choice
        step = session.set_logs.filter(pk=stopped, status=SetLog.Status.STOPPED).first()
        return _step_response(request, session, **(_stopped(step) if step else {}))
    return _step_response(request, session)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def step_complete(request, pk, step_pk):
    session, steps, step = _get_pending_step(request, pk, step_pk)
    sent = offline.sent(request, session)
    if step is None:  # a repeated submission, or logged from another device
        sync = offline.outcome(sent, SetLog, False)
        return _after_post(request, session, sync=sync, steps=steps)
    form = StepDoneForm(request.POST, step=step)
    if not form.is_valid():
        return _invalid(_step_response(request, session, form=form, steps=steps), sent)
    data = form.cleaned_data
    applied = services.complete_step(
        session,
        step.pk,
        reps_done=data.get("reps_done"),
        seconds_done=data.get("seconds_done"),
        load_used=data.get("load_used") or step.target_load,
        now=sent.at,
        client_id=sent.client_id,
        step=step,  # logged in memory too: the next card needs no second look at the steps
    )
    sync = offline.outcome(sent, SetLog, applied)
    return _after_post(request, session, sync=sync, steps=steps if applied else None)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def step_skip(request, pk, step_pk):
    session, steps, step = _get_pending_step(request, pk, step_pk)
    sent = offline.sent(request, session)
    if step is None:  # a repeated submission, or logged from another device
        sync = offline.outcome(sent, SetLog, False)
        return _after_post(request, session, sync=sync, steps=steps)
    form = SkipForm(request.POST, auto_id="id_skip_%s")
    if not form.is_valid():
        response = _step_response(request, session, steps=steps, skip_form=form, skip_open=True)
        return _invalid(response, sent)
    applied = services.skip_step(
        session, step.pk, form.reason_text(), now=sent.at, client_id=sent.client_id, step=step
    )
    sync = offline.outcome(sent, SetLog, applied)
    return _after_post(request, session, sync=sync, steps=steps if applied else None)


@patient_page
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def step_stop(request, pk, step_pk):
    session, steps, step = _get_pending_step(request, pk, step_pk)
    sent = offline.sent(request, session)
    if step is None:  # a repeated submission, or logged from another device
        sync = offline.outcome(sent, SetLog, False)
        return _after_post(request, session, sync=sync, steps=steps)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pain = form.cleaned_data["pain"]
        applied = services.stop_exercise(session, step, pain, sent.at, sent.client_id)
        sync = offline.outcome(sent, SetLog, applied)
        # One event is stored; then the patient chooses: the next exercise, or stop for today.
        if request.htmx:
            return offline.mark(_step_response(request, session, **_stopped(step)), sync)
        url = f"{session.get_absolute_url()}?stopped={step.pk}#session-progress"
        return offline.mark(_see_other(url), sync)
    response = _step_response(request, session, steps=steps, stop_step=step, stop_form=form)
    return _invalid(response, sent) if request.method == "POST" else response


def _stopped(step):
    """Context after a stop: the choice card, or (nothing left) a notice above the last step."""
    return {
        "stopped_step": step,
        "notice": _("We stopped %(name)s. Your therapist will see it.")
        % {"name": step.exercise.name},
    }


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def session_stop_today(request, pk):
    session = _get_session(request, pk)
    sent = offline.sent(request, session)
    # Idempotent by status: a replay finds no step left to skip.
    stopped = not session.is_finished and services.stop_for_today(session, sent.at)
    sync = sent.client_id and (offline.APPLIED if stopped else offline.SENT_BEFORE)
    notice = _("We stopped for today. Two quick questions, then you're done.")
    return _after_post(request, session, notice, sync)


@patient_page
@require_POST
@vary_on_headers("HX-Request")
def session_finish(request, pk):
    session = _get_session(request, pk)
    sent = offline.sent(request, session)
    form = FinishForm(request.POST)
    finished = False
    if not session.is_finished:
        if not form.is_valid():
            return _invalid(_step_response(request, session, finish_form=form), sent)
        data = form.cleaned_data
        finished = services.finish_session(session, **data, now=sent.at, client_id=sent.client_id)
    sync = offline.outcome(sent, ExerciseSession, finished)
    if request.htmx:
        return offline.mark(HttpResponseClientRedirect(session.get_absolute_url()), sync)
    return offline.mark(_see_other(session.get_absolute_url() + "#session-progress"), sync)


NOT_CHOSEN = {services.STOPPED_IT_HURT, services.STOPPED_FOR_TODAY, services.ENDED_EARLY}


def _summary(session):
    """What the patient did, in words: sets skipped by choice apart from sets left undone."""
    counts = {status: 0 for status in SetLog.Status.values}
    ceiling, skipped, left = 0, 0, 0
    stopped, for_today = [], False
    # The exercise's name in each language (exercises/translation.py): exercise.name reads the
    # active one, so a bare "exercise__name" would cost a query per stopped step.
    names = get_translation_fields("exercise__name")
    for step in session.set_logs.select_related("exercise").only(
        "status", "pain_ceiling", "skip_reason", "set_number", "side", *names
    ):
        counts[step.status] += 1
        ceiling = max(ceiling, step.pain_ceiling)
        if step.status == SetLog.Status.STOPPED:
            stopped.append(step)
        elif step.status == SetLog.Status.SKIPPED:
            left += step.skip_reason in NOT_CHOSEN
            skipped += step.skip_reason not in NOT_CHOSEN
        for_today |= step.skip_reason == services.STOPPED_FOR_TODAY
    return {
        "nav": "today",
        "session": session,
        "counts": counts,
        "planned": sum(counts.values()),
        "skipped": skipped,
        "left": left,
        "ceiling": ceiling,
        "over_ceiling": session.pain_during is not None and session.pain_during > ceiling,
        "stopped_steps": stopped,
        "stopped_for_today": for_today,
    }
