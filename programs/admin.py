"""The therapist's workbench: patients, programs with their doses, templates, sessions."""

import datetime
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from exercises.models import Exercise
from programs.models import (
    WEEKDAY_NAMES,
    ExerciseSession,
    Patient,
    Prescription,
    Program,
    SetLog,
    SigninLink,
    week_span_text,
)
from programs.services import copy_template

PREVIEW_DAYS = 14


# Forms ------------------------------------------------------------------------------------


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Tick boxes Mon..Sun, stored as the model's "0,2,4" text."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            choices=list(enumerate(WEEKDAY_NAMES)),
            coerce=int,
            required=False,
            help_text="For chosen weekdays only.",
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, str):
            return [day for day in value.split(",") if day]
        return value

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)

    def clean(self, value):
        return ",".join(str(day) for day in sorted(super().clean(value)))


class ExerciseSelect(AutocompleteSelect):
    """Autocomplete that labels the chosen exercise from the row already loaded.

    The stock widget runs one query per row to find its selected option, which would make the
    program page slower with every prescription.
    """

    selected = None

    def optgroups(self, name, value, attr=None):
        chosen = self.selected
        if chosen is None or [str(v) for v in value if v] != [str(chosen.pk)]:
            return super().optgroups(name, value, attr)
        return [(None, [self.create_option(name, chosen.pk, str(chosen), True, 0)], 0)]


class PrescriptionForm(forms.ModelForm):
    weekdays = WeekdaysField(label="Weekdays")

    class Meta:
        model = Prescription
        fields = "__all__"
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2, "cols": 22}),
            "progression": forms.Textarea(attrs={"rows": 2, "cols": 22}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.exercise_id and "exercise" in self.fields:
            widget = self.fields["exercise"].widget
            getattr(widget, "widget", widget).selected = self.instance.exercise


class StartFromTemplateForm(forms.Form):
    patient = forms.ModelChoiceField(
        Patient.objects.all(),
        widget=AutocompleteSelect(Program._meta.get_field("patient"), admin.site),
        help_text="Search by name or email.",
    )
    start_date = forms.DateField(
        initial=timezone.localdate,
        widget=AdminDateWidget,
        help_text="Week 1 starts on this day.",
    )
    status = forms.ChoiceField(
        choices=[
            (Program.Status.ACTIVE, "Active: the patient sees it from the start date"),
            (Program.Status.DRAFT, "Draft: review the doses first; the patient sees nothing"),
        ],
        initial=Program.Status.ACTIVE,
        widget=forms.RadioSelect,
    )


# Filters ----------------------------------------------------------------------------------


class TherapistFilter(admin.SimpleListFilter):
    """Show the signed-in therapist's own patients unless another choice is made."""

    title = "therapist"
    parameter_name = "therapist"
    mine_label = "My patients"
    field = "therapist"

    def mine(self, request, queryset):
        return queryset.filter(**{self.field: request.user})

    def lookups(self, request, model_admin):
        others = (
            get_user_model()
            .objects.filter(patients__isnull=False)
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("first_name", "username")
        )
        return [("all", "All therapists")] + [
            (str(user.pk), user.get_full_name() or user.username) for user in others
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.mine_label,
        }
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return self.mine(request, queryset)
        if value == "all":
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.field}_id": value})


class ProgramTherapistFilter(TherapistFilter):
    """My patients' plans and the shared templates, unless another choice is made."""

    mine_label = "My patients and templates"
    field = "patient__therapist"

    def mine(self, request, queryset):
        return queryset.filter(Q(patient__therapist=request.user) | Q(patient__isnull=True))


class TemplateFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("plans", "Patients' plans"), ("templates", "Protocol templates")]

    def queryset(self, request, queryset):
        if self.value() == "plans":
            return queryset.plans()
        if self.value() == "templates":
            return queryset.templates()
        return queryset


# Patients ---------------------------------------------------------------------------------


class ProgramInline(admin.TabularInline):
    model = Program
    fields = ["title", "status", "start_date", "weeks"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Programs (start one from a template on the program list)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "therapist", "current_program", "signed_in"]
    list_filter = [TherapistFilter]
    list_select_related = ["therapist"]
    search_fields = ["name", "email"]
    ordering = ["name"]
    fields = ["name", "email", "therapist", "notes", "user", "created"]
    readonly_fields = ["user", "created"]
    inlines = [ProgramInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        active = Program.objects.active().order_by("-start_date")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("programs", active, to_attr="active_programs"))
        )

    def get_changeform_initial_data(self, request):
        return {"therapist": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Current program")
    def current_program(self, patient):
        if not patient.active_programs:
            return "—"
        program = patient.active_programs[0]
        url = reverse("admin:programs_program_change", args=[program.pk])
        return format_html('<a href="{}">{}</a>', url, program.title)

    @admin.display(description="Signed in", boolean=True)
    def signed_in(self, patient):
        return patient.user_id is not None


# Programs ---------------------------------------------------------------------------------


SIDES = {"both": {"left", "right"}, "each": {"left", "right"}, "left": {"left"}, "right": {"right"}}


class PrescriptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Refuse two rows that give the same exercise to the same leg in the same week."""
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("exercise"):
                continue
            last = data.get("week_to") or float("inf")
            for other, other_first, other_last, other_side in rows:
                if (
                    other == data["exercise"]
                    and SIDES[other_side] & SIDES[data.get("side", "both")]
                    and data.get("week_from", 1) <= other_last
                    and other_first <= last
                ):
                    raise ValidationError(
                        "%(exercise)s is prescribed twice for the same leg in the same weeks. "
                        "To change a dose from a later week, end the first row the week before "
                        "(set its last week), then start the new row.",
                        code="overlapping_rows",
                        params={"exercise": data["exercise"].name},
                    )
            rows.append(
                (data["exercise"], data.get("week_from", 1), last, data.get("side", "both"))
            )


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
        try:
            return prescription.dose_text
        except ValidationError:  # an invalid row being corrected: its error shows beside it
            return "—"


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
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
    changes = program.weeks_with_changes(prescriptions)
    mix_rows = []
    for i, week in enumerate(changes):
        last = changes[i + 1] - 1 if i + 1 < len(changes) else program.weeks
        shares, volume = program.mix(week, prescriptions)
        mix_rows.append(
            {
                "weeks": week_span_text(week, last).capitalize(),
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
            else "ExerciseSession",
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
    if program.status == Program.Status.DRAFT:
        return "Draft: the patient sees no sessions until you set the status to Active."
    if program.status == Program.Status.PAUSED:
        return f"Paused since {program.status_since:%-d %b %Y}: no sessions are planned."
    if program.status == Program.Status.COMPLETED:
        return f"Completed on {program.status_since:%-d %b %Y}: no sessions are planned."
    if program.end_date and program.end_date < today:
        return f"The program ended on {program.end_date:%-d %b %Y}."
    return "No prescription is due in the next 14 days: check the week ranges and frequencies."


# Sessions and sign-in links: read-only records ------------------------------------------


class SetLogInline(admin.TabularInline):
    model = SetLog
    fields = [
        "position",
        "exercise",
        "set_number",
        "side",
        "dose_text",
        "status",
        "reps_done",
        "seconds_done",
        "load_used",
        "pain",
        "skip_reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exercise")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExerciseSession)
class SessionAdmin(admin.ModelAdmin):
    """What a patient did, against the target they did it against: never edited here."""

    list_display = ["date", "slot", "patient", "week", "finished", "pain_during", "effort"]
    list_filter = ["date"]
    list_select_related = ["program__patient"]
    search_fields = ["program__patient__name", "program__patient__email"]
    ordering = ["-date", "-slot"]
    date_hierarchy = "date"
    inlines = [SetLogInline]

    @admin.display(description="Patient", ordering="program__patient__name")
    def patient(self, session):
        return session.program.patient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SigninLink)
class SigninLinkAdmin(admin.ModelAdmin):
    """Links are made by SigninLink.issue, which shows the token once; never typed in here."""

    list_display = ["patient", "created", "expires", "used_at", "created_by"]
    list_select_related = ["patient", "created_by"]
    search_fields = ["patient__name", "patient__email"]
    ordering = ["-created"]
    readonly_fields = ["patient", "created", "created_by", "expires", "used_at"]

    def has_add_permission(self, request):
        return False
