"""Programs and templates in the admin: doses by week, the mix panel and a schedule preview."""

import datetime
from collections import Counter

from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from exercises.models import Exercise
from programs.admin.filters import ProgramTherapistFilter, TemplateFilter
from programs.admin.forms import (
    ExerciseSelect,
    PrescriptionForm,
    PrescriptionFormSet,
    StartFromTemplateForm,
)
from programs.models import Patient, Prescription, Program
from programs.schedule import week_span_text
from programs.services import copy_template

PREVIEW_DAYS = 14


class PrescriptionInline(admin.StackedInline):
    model = Prescription
    form = PrescriptionForm
    formset = PrescriptionFormSet
    autocomplete_fields = ["exercise"]
    # One prescription per block, its dose fields grouped a few to a line: no sideways scrolling.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("exercise", "order"),
                    "dose_line",
                    ("week_from", "week_to"),
                    ("sets", "reps", "hold_seconds", "side"),
                    ("tempo", "effort", "rest_seconds", "pain_ceiling"),
                    ("load_kind", "load_amount", "load_text"),
                    ("frequency", "frequency_count", "weekdays"),
                    ("notes", "progression"),
                ]
            },
        )
    ]
    readonly_fields = ["dose_line"]
    extra = 1

    def get_queryset(self, request):
        # The dose line and the exercise label read these: one query for all rows.
        return super().get_queryset(request).select_related("exercise", "program")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "exercise":
            kwargs["widget"] = ExerciseSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Retired exercises can't be prescribed anew, but rows that already use one stay valid.
        offered = Q(is_active=True)
        if obj is not None and obj.pk:
            offered |= Q(pk__in=obj.prescriptions.values("exercise"))
        formset.form.base_fields["exercise"].queryset = Exercise.objects.filter(offered)
        return formset

    @admin.display(description="Dose line (as the patient reads it)")
    def dose_line(self, prescription):
        if prescription is None or prescription.pk is None:
            return "—"
        return prescription.dose_text or "—"  # stored when saved: never parsed while rendering


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    """Plans of the patients this user may see, and the shared templates."""

    list_display = ["title", "patient", "status", "start_date", "length", "is_template"]
    list_filter = [ProgramTherapistFilter, TemplateFilter, "status"]
    list_select_related = ["patient"]
    search_fields = ["title", "patient__name", "patient__email"]
    ordering = ["patient__name", "-start_date", "title"]
    autocomplete_fields = ["patient"]
    readonly_fields = ["status_since", "template"]
    fieldsets = [
        (None, {"fields": ["title", "patient", "goal", "slug"]}),
        (
            "Schedule and safety",
            {
                "fields": [
                    "start_date",
                    "weeks",
                    "status",
                    "status_since",
                    "pain_ceiling",
                    "template",
                ]
            },
        ),
    ]
    inlines = [PrescriptionInline]
    actions = ["start_for_patient"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("No such program.")

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Weeks", ordering="weeks")
    def length(self, program):
        return program.weeks or "open-ended"

    @admin.display(description="Template", boolean=True)
    def is_template(self, program):
        return program.is_template

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.patient_id:  # only templates have a fixture name
            first = fieldsets[0][1]["fields"]
            fieldsets = [(None, {"fields": [f for f in first if f != "slug"]}), *fieldsets[1:]]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # A plan's logs belong to its patient: the plan can't move to someone else.
        if obj is not None and obj.patient_id:
            return [*self.readonly_fields, "patient", "slug"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            new_status, obj.status = obj.status, form.initial["status"]
            obj.change_status(new_status, timezone.localdate())
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(program_panels(obj, timezone.localdate()))
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="Start for a patient…", permissions=["add"])
    def start_for_patient(self, request, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(
                request, "Select one template at a time to start it.", messages.WARNING
            )
            return None
        template = chosen[0]
        if not template.is_template:
            self.message_user(
                request,
                f"“{template}” is a patient's plan, not a template. Pick a program with no "
                "patient (filter by kind: Protocol templates).",
                messages.WARNING,
            )
            return None
        form = StartFromTemplateForm(request.POST if "apply" in request.POST else None)
        form.fields["patient"].queryset = Patient.objects.visible_to(request.user)
        if form.is_valid():
            program = copy_template(template, **form.cleaned_data)
            self.log_addition(request, program, [{"added": {}}])
            self.message_user(
                request,
                f"Started “{program.title}” for {program.patient} from "
                f"{program.start_date:%a %-d %b %Y}. Check the doses below; the copy is "
                "independent of the template.",
                messages.SUCCESS,
            )
            return redirect("admin:programs_program_change", program.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Start “{template.title}” for a patient",
            "opts": self.opts,
            "template": template,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/programs/program/start_from_template.html", context)


def program_panels(program, today):
    """Context for the mix panel and the schedule preview on the program page."""
    prescriptions = list(program.prescriptions.select_related("exercise"))
    mix_rows = []
    for first, last in program.week_ranges(prescriptions):
        shares, volume = program.mix(first, prescriptions)
        mix_rows.append(
            {
                "weeks": week_span_text(first, last).capitalize(),
                "shares": shares,
                "volume": round(volume),
            }
        )
    return {
        "prescription_count": len(prescriptions),
        "mix_rows": mix_rows,
        "mix_warnings": program.mix_warnings(prescriptions),
        "mix_absent": [
            kind.label.lower()
            for kind in Exercise.Kind
            if all(p.exercise.kind != kind for p in prescriptions)
        ],
        "preview": _preview(program, prescriptions, today),
        "preview_note": _preview_note(program, today),
    }


def _preview(program, prescriptions, today):
    if program.start_date is None:
        return []
    start = max(today, program.start_date)
    end = start + datetime.timedelta(days=PREVIEW_DAYS - 1)
    sessions = program.planned_sessions(start, end, prescriptions)
    per_day = Counter(session.date for session in sessions)
    return [
        {
            "date": session.date,
            "label": f"Session {session.slot} of {per_day[session.date]}"
            if per_day[session.date] > 1
            else "Session",
            "week": session.week,
            "items": session.items,
        }
        for session in sessions
    ]


def _preview_note(program, today):
    """Why the next 14 days hold no session (shown only when they don't)."""
    if program.is_template:
        return (
            "This is a template: it has no patient and no start date. Use “Start for a "
            "patient…” on the program list to give a patient their own copy."
        )
    state, since = program.state_on(today)
    if state == "draft":
        return "Draft: the patient sees no sessions until you set the status to Active."
    if state == "paused":
        return f"Paused since {since:%-d %b %Y}: no sessions are planned."
    if program.status == Program.Status.COMPLETED:
        return f"Completed on {program.status_since:%-d %b %Y}: no sessions are planned."
    if state == "finished":
        return f"The program ended on {since:%-d %b %Y}."
    return "No prescription is due in the next 14 days: check the week ranges and frequencies."
