"""Programs and templates in the admin: doses by week, the mix panel and a schedule preview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from creekside import audit
from exercises.models import Exercise
from programs import page_cache, page_versions
from programs.admin.filters import ProgramTherapistFilter, TemplateFilter
from programs.admin.forms import (
    MORE_FIELDS,
    ChangeFromWeekForm,
    ExerciseSelect,
    PrescriptionForm,
    StartFromTemplateForm,
    unnamed_leg_rows,
)
from programs.admin.formsets import PrescriptionFormSet
from programs.admin.panels import program_panels
from programs.admin.versions import VersionedAdmin
from programs.models import Patient, Prescription, Program
from programs.schedule import week_span_text
from programs.services import apply_progression, copy_template

START_CLASHED = (
    "Another plan for this patient was made active at the same moment, so this one was not "
    "started. Open the patient's plans to see which is active, then try again."
)


class PrescriptionInline(admin.StackedInline):
    model = Prescription
    form = PrescriptionForm
    formset = PrescriptionFormSet
    autocomplete_fields = ["exercise"]
    # One compact block per prescription: what every row needs on three lines, the rest under a
    # closed "More" (opened by an error there). The template lays it out without overlaps.
    template = "admin/programs/program/prescription_inline.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("exercise", "order", "week_from", "week_to"),
                    ("sets", "reps", "hold_seconds", "side", "tempo", "effort"),
                    ("load_kind", "load_amount", "load_text", "frequency", "frequency_count"),
                    "dose_line",
                ]
            },
        ),
        (
            "More",
            {
                "classes": ["collapse"],
                "fields": MORE_FIELDS,
            },
        ),
    ]
    readonly_fields = ["dose_line"]
    ordering = ["order", "week_from", "pk"]  # as sessions run them, then by first week
    extra = 1

    def get_extra(self, request, obj=None, **kwargs):
        # A new program opens with a blank row; a saved one adds rows with "Add another".
        return 0 if obj is not None else self.extra

    class Media:
        js = ["admin/js/jquery.init.js", "js/admin-prescriptions.js"]

    def get_queryset(self, request):
        # The dose line and the exercise label read these: one query for all rows.
        return super().get_queryset(request).select_related("exercise", "program")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "exercise":
            kwargs["widget"] = ExerciseSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "exercise":  # no view/add icons repeated on every row
            field.widget = getattr(field.widget, "widget", field.widget)
        return field

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
class ProgramAdmin(VersionedAdmin, admin.ModelAdmin):
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

    def get_urls(self):
        return [
            path(
                "<int:pk>/prescriptions/<int:row_pk>/change-from-week/",
                self.admin_site.admin_view(self.change_from_week_view),
                name="programs_program_change_from_week",
            ),
            *super().get_urls(),
        ]

    def change_from_week_view(self, request, pk, row_pk):
        """Give one row a new dose from a program week on (the old dose ends the week before)."""
        program = self.get_object(request, str(pk))
        if program is None:
            raise Http404("No such program.")
        if not self.has_change_permission(request, program):
            raise PermissionDenied
        row = get_object_or_404(program.prescriptions.select_related("exercise"), pk=row_pk)
        row.program = program
        today = timezone.localdate()
        data = request.POST if request.method == "POST" else None
        form = ChangeFromWeekForm(data, row=row, from_week=default_from_week(row, today))
        if form.is_valid():
            try:
                new = apply_progression(
                    row, from_week=form.cleaned_data["from_week"], **form.dose()
                )
            except ValidationError as error:
                form.add_model_error(error)
            else:
                self.log_change(
                    request,
                    program,
                    f"Changed {row.exercise.name} from week {new.week_from}: {new.dose_text}",
                )
                self.message_user(
                    request,
                    f"{row.exercise.name}: from week {new.week_from}, {new.dose_text}. "
                    "Earlier weeks and every logged set keep the dose they had.",
                    messages.SUCCESS,
                )
                return redirect("admin:programs_program_change", program.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change {row.exercise.name} from a later week",
            "subtitle": str(program),
            "opts": self.opts,
            "original": program,
            "row": row,
            "row_weeks": week_span_text(row.week_from, row.week_to),
            "form": form,
            "week": program.week_of(today) if program.start_date else None,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/programs/program/change_from_week.html", context)

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The program page, from the cache while nothing on it has changed (page_cache.py)."""
        view = super().change_view
        if not (page_cache.enabled(request) and str(object_id).isdigit()):
            return view(request, object_id, form_url, extra_context)
        pk = int(object_id)
        key = page_cache.page_key(request, "admin program page", (pk,))
        keys = [page_versions.program_key(pk), page_versions.LIBRARY, page_versions.STAFF]
        entry, response = page_cache.serve(
            request, key, keys, lambda: view(request, object_id, form_url, extra_context)
        )
        note = entry and entry["note"]
        if note:  # a patient's plan, kept for this account after the access check: a read
            audit.record_read(
                request, Program(pk=pk), note["what"], role=note["role"], shown_as=note["name"]
            )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            weeks = request.GET.get("weeks", "")
            context.update(program_panels(obj, timezone.localdate(), weeks))
            if obj.patient_id:
                role, what = audit.role_of(request.user), f"the plan of {obj.patient}"
                audit.record_read(request, obj, what, role=role)
                note = {"what": what, "role": role, "name": str(obj)}
                setattr(request, page_cache.NOTE, note)
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
        data = request.POST if "apply" in request.POST else None
        form = StartFromTemplateForm(data, template=template)
        form.fields["patient"].queryset = Patient.objects.visible_to(request.user)
        if form.is_valid():
            choice = form.cleaned_data
            try:
                with transaction.atomic():
                    program = copy_template(
                        template, choice["patient"], choice["start_date"], choice["status"]
                    )
                    if choice.get("leg"):
                        name_the_leg(program, choice["leg"])
            except IntegrityError:  # a plan made active for them at the same moment elsewhere
                self.message_user(request, START_CLASHED, messages.ERROR)
                return None
            self.log_addition(request, program, [{"added": {}}])
            ended = f" “{form.ending.title}” is now completed." if form.ending else ""
            self.message_user(
                request,
                f"Started “{program.title}” for {program.patient} from "
                f"{program.start_date:%a %-d %b %Y}.{ended} Check the doses below; the copy is "
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
            "ending_notes": form.ending_notes(timezone.localdate()) if form.is_bound else [],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/programs/program/start_from_template.html", context)


def name_the_leg(program, leg):
    """Set the leg on a new plan's one-leg rows that its template left unnamed ("both")."""
    for row in unnamed_leg_rows(program):
        row.side = leg
        row.save(update_fields=["side"])  # save() rewrites the dose line with the leg


def default_from_week(row, today):
    """The week a change to this row most likely starts: next week, within the row's weeks."""
    program = row.program
    week = (program.week_of(today) or 0) if program.start_date else 0
    first = max(row.week_from + 1, week + 1)
    if row.week_to is not None:
        first = min(first, row.week_to)
    if program.weeks:
        first = min(first, program.weeks)
    return max(first, row.week_from)
