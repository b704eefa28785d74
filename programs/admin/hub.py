"""The patient's admin page as the therapist's hub: plan, sessions, adherence, signals, actions."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from creekside.dosing import next_dose
from programs import schedule, services
from programs.admin.attention import signals_for, suggestions_for, watched_programs, window_logs
from programs.admin.outcomes import outcomes_context
from programs.charts import pain_effort_chart
from programs.models import ExerciseSession, Prescription, SignalReview

RECENT_SESSIONS = 10
CHART_SESSIONS = 30


def hub_context(patient, today):
    """Everything the hub shows, in a fixed number of queries whatever the record's size."""
    programs = watched_programs(patient.programs.all())
    program = next((p for p in programs if p.status == "active"), programs[0] if programs else None)
    sessions = list(
        ExerciseSession.objects.filter(program__patient=patient)
        .select_related("program")
        .annotate(
            stops=Count("set_logs", filter=Q(set_logs__status="stopped")),
            sets_done=Count("set_logs", filter=Q(set_logs__status="done")),
            sets_total=Count("set_logs"),
            ceiling=Max("set_logs__pain_ceiling"),
        )
        .order_by("-date", "-slot")[:CHART_SESSIONS]
    )
    for s in sessions:
        s.over_ceiling = s.pain_during is not None and s.pain_during > (s.ceiling or 10)
    rated = [s for s in reversed(sessions) if s.is_finished and s.pain_during is not None]
    logs = window_logs(programs, today)  # the signals' and the suggestions' logs: two queries
    signals = signals_for(programs, today, logs)
    return {
        "hub_program": program,
        "hub_signals": [s for row in signals for s in row.signals],
        "hub_sessions": sessions[:RECENT_SESSIONS],
        "hub_chart": pain_effort_chart(rated),
        "hub_chart_rows": rated[-CHART_SESSIONS:],
        "hub_adherence": _adherence(program, sessions, today) if program else [],
        "hub_suggestions": suggestions_for(program, today, logs) if program else [],
        "hub_reviews": list(patient.signal_reviews.select_related("reviewed_by")[:10]),
        "outcomes": outcomes_context(patient),
    }


def _adherence(program, sessions, today):
    """Sessions and sets done against planned, per week, for the last four weeks of the plan."""
    plan = program.plan
    week = schedule.week_of(plan, today) or program.weeks
    if not week or not program.start_date or program.start_date > today:
        return []
    first = schedule.week_start(plan, max(1, week - 3))
    planned = program.planned_sessions(
        first,
        min(today, first + datetime.timedelta(weeks=4, days=-1)),
        list(program.prescriptions.all()),
    )
    mine = [s for s in sessions if s.program_id == program.pk and s.date >= first]
    finished = [s.week for s in mine if s.is_finished]
    rows = []
    for row in schedule.adherence(plan, planned, finished):
        planned_sets = sum(
            len(item.prescription.set_targets()) * len(item.prescription.sides)
            for p in planned
            if p.week == row.week
            for item in p.items
        )
        done_sets = sum(s.sets_done for s in mine if s.week == row.week)
        rows.append({**vars(row), "planned_sets": planned_sets, "done_sets": done_sets})
    return rows


class ReviewForm(forms.Form):
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text="Optional, e.g. Called: pain settled by noon.",
    )


def review_signal(model_admin, request, patient):
    """Mark one open signal as reviewed, with an optional note (POST only)."""
    form = ReviewForm(request.POST)
    back = redirect("admin:programs_patient_change", patient.pk)
    if not form.is_valid():
        model_admin.message_user(request, "That signal could not be read.", messages.ERROR)
        return back
    key = form.cleaned_data["key"]
    open_ = {
        s.key: s
        for row in signals_for(watched_programs(patient.programs.all()), timezone.localdate())
        for s in row.signals
    }
    signal = open_.get(key)
    if signal is None:
        model_admin.message_user(request, "That signal was already reviewed.", messages.INFO)
        return back
    SignalReview.objects.get_or_create(
        patient=patient,
        key=key,
        defaults={
            "kind": signal.kind,
            "day": signal.day,
            "reason": signal.reason[:300],
            "session_id": signal.session_id,
            "reviewed_by": request.user,
            "note": form.cleaned_data["note"],
        },
    )
    model_admin.message_user(request, f"Reviewed: {signal.reason}", messages.SUCCESS)
    return back


class ProgressionForm(forms.Form):
    from_week = forms.IntegerField(
        min_value=1, max_value=104, help_text="The new dose starts this program week."
    )
    sets = forms.IntegerField(min_value=1, max_value=10)
    reps = forms.CharField(
        max_length=40, required=False, help_text="10, 6-8 or 12,10,8; empty for a hold."
    )
    hold_seconds = forms.IntegerField(min_value=1, max_value=300, required=False)
    load_amount = forms.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, required=False, help_text="kg or lb rows only."
    )
    effort = forms.IntegerField(
        min_value=0, max_value=10, required=False, help_text="Target effort 0-10."
    )


def progression(model_admin, request, patient, prescription_pk):
    """Propose the next dose from a suggestion; the therapist edits it, then applies it."""
    row = get_object_or_404(
        Prescription.objects.select_related("program", "exercise"),
        pk=prescription_pk,
        program__patient=patient,
    )
    today = timezone.localdate()
    suggestion = dict((r.pk, s) for r, s in suggestions_for(row.program, today)).get(row.pk)
    verdict = suggestion.verdict if suggestion else "hold"
    week = schedule.week_of(row.program.plan, today) or 0
    proposal = next_dose(
        verdict,
        sets=row.sets,
        targets=row.set_targets(),
        hold_seconds=row.hold_seconds,
        load_kind=row.load_kind,
        load_amount=row.load_amount,
    )
    initial = {**proposal, "from_week": week + 1, "effort": row.effort}
    form = ProgressionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            new = services.apply_progression(row, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.log_change(
                request,
                row.program,
                f"Changed {row.exercise.name} from week {new.week_from}: {new.dose_text}",
            )
            model_admin.message_user(
                request,
                f"{row.exercise.name}: from week {new.week_from}, {new.dose_text}. Earlier weeks and logs are unchanged.",
                messages.SUCCESS,
            )
            return redirect("admin:programs_patient_change", patient.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{suggestion_label(verdict)}: {row.exercise.name}",
        "opts": model_admin.opts,
        "original": patient,
        "row": row,
        "suggestion": suggestion,
        "verdict": verdict,
        "form": form,
        "week": week,
    }
    return TemplateResponse(request, "admin/programs/patient/progression.html", context)


def suggestion_label(verdict):
    return {"progress": "Progress", "regress": "Regress"}.get(verdict, "Change the dose")
