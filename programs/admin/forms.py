"""The admin's forms: prescription rows (their formset: formsets.py) and starting a template."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from creekside.dosing import WEEKDAY_NAMES
from programs.models import Patient, Prescription, Program
from programs.models.program import validate_start_date
from programs.schedule import week_span_text


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
    compact = False  # a saved row: admin-prescriptions.js sets the picker up from the page's one

    def get_url(self):
        # The exercise admin's own endpoint: each result carries kind, picture and default dose.
        return reverse("admin:exercises_exercise_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        if self.compact:
            return {"data-picker": "exercise"}
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Select2's defaults, or set once by admin-prescriptions.js: not repeated on every row.
        for name in SELECT2_DEFAULTS:
            attrs.pop(name, None)
        return attrs

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
        # The formset checks overlaps across all its rows, as edited, in one pass.
        self.instance.check_siblings = False
        if self.instance.exercise_id and "exercise" in self.fields:
            widget = self.fields["exercise"].widget
            getattr(widget, "widget", widget).selected = self.instance.exercise
        self.compact = bool(self.instance.pk)
        if self.compact:
            self._compact()

    def _compact(self):
        """A saved row: help once on the page (the new row has it), choices once (admin JS).

        A long plan repeats these fifty times, which made the page heavy. The formset renders
        saved rows without ids (each input sits inside its label).
        """
        for name, field in self.fields.items():
            field.help_text = ""
            for attribute in ("class", "min", "max"):  # validators stay; only markup goes
                field.widget.attrs.pop(attribute, None)
            if name in SHARED_CHOICES:
                field.widget = SharedChoicesSelect(name, choices=field.choices)
        if "exercise" in self.fields:
            self.fields["exercise"].widget.compact = True

    def __getattr__(self, name):
        # A saved row the formset left unbuilt (PrescriptionFormSet._construct_form) is built
        # the first time anything beyond its instance, prefix and media is asked of it.
        build = self.__dict__.pop("_build", None)
        if build is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        build()
        return getattr(self, name)

    @property
    def is_built(self):
        return "_build" not in self.__dict__

    @property
    def media(self):
        # An unbuilt row's widgets are the empty form's, whose media the formset gives.
        return super().media if self.is_built else forms.Media()

    @property
    def shows_weekdays(self):
        """Saved rows show the weekday boxes only when they use them (the JS adds them)."""
        if not self.compact:
            return True
        return self["frequency"].value() == Prescription.Frequency.WEEKDAYS or bool(
            self["weekdays"].value()
        )

    @property
    def more_has_errors(self):
        """Whether a folded field has an error: then "More" opens."""
        return any(name in self.errors for line in MORE_FIELDS for name in line)

    @property
    def weeks_text(self):
        row = self.instance
        return week_span_text(row.week_from, row.week_to) if row.pk else ""

    @property
    def more_summary(self):
        """What the collapsed "More" part of a saved row holds, in a few words."""
        row = self.instance
        if not row.pk:
            return ""
        parts = [f"rest {row.rest_seconds} s"]
        if row.pain_ceiling is not None:
            parts.append(f"pain ceiling {row.pain_ceiling}/10")
        if row.weekday_list:
            parts.append(" ".join(WEEKDAY_NAMES[d] for d in row.weekday_list))
        if row.notes:
            parts.append("a note to the patient")
        if row.progression:
            parts.append("progression notes")
        return ", ".join(parts)


SHARED_CHOICES = ("side", "load_kind", "frequency")
# The rarely used fields of a row, folded under "More" (PrescriptionInline.fieldsets).
MORE_FIELDS = [("rest_seconds", "pain_ceiling", "weekdays"), ("notes", "progression")]
SELECT2_DEFAULTS = (
    "data-ajax--cache",
    "data-ajax--delay",
    "data-ajax--type",
    "data-allow-clear",
    "data-placeholder",
    "lang",
)


class SharedChoicesSelect(forms.Select):
    """A select that renders only its chosen option; the admin JS copies in the others.

    The full list is on the page once (a <template id="choices-NAME">), so fifty rows don't
    repeat it fifty times.
    """

    def __init__(self, name, choices=()):
        super().__init__(attrs={"data-choices": name}, choices=choices)

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value}
        groups = super().optgroups(name, value, attrs)
        return [
            (group, [o for o in options if str(o["value"]) in chosen], index)
            for group, options, index in groups
            if any(str(o["value"]) in chosen for o in options)
        ]


LEGS = [("left", "Left leg"), ("right", "Right leg"), ("each", "Each leg in turn")]


class StartFromTemplateForm(forms.Form):
    patient = forms.ModelChoiceField(
        Patient.objects.all(),
        widget=AutocompleteSelect(Program._meta.get_field("patient"), admin.site),
        help_text="Search by name or email.",
    )
    start_date = forms.DateField(
        initial=timezone.localdate,
        validators=[validate_start_date],
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
    leg = forms.ChoiceField(
        choices=LEGS,
        widget=forms.RadioSelect,
        label="Injured leg",
        help_text="The one-leg exercises are done on this leg.",
    )
    end_current = forms.BooleanField(
        required=False, label="End the current plan today and start this one", label_suffix=""
    )

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ending = None  # the patient's active plan that this start would end
        # A template names no leg for its one-leg exercises: the therapist gives it here.
        unnamed = unnamed_leg_rows(template) if template is not None else []
        if unnamed:
            names = ", ".join(dict.fromkeys(row.exercise.name for row in unnamed))
            self.fields["leg"].help_text = f"{names}: done on this leg."
        else:
            del self.fields["leg"]

    def clean(self):
        data = super().clean()
        patient = data.get("patient")
        if patient is None or data.get("status") != Program.Status.ACTIVE:
            return data
        self.ending = patient.programs.active().first()
        if self.ending is not None and not data.get("end_current"):
            raise ValidationError(
                "%(patient)s already has an active plan, “%(plan)s”: read what happens to it "
                "below, then tick the box to end it, or start this one as a draft.",
                code="ends_current_plan",
                params={"patient": patient.name, "plan": self.ending.title},
            )
        return data

    def ending_notes(self, today):
        """What starting this plan does to the patient's current one, in plain sentences."""
        plan, data = self.ending, self.cleaned_data
        if plan is None:
            return []
        name = data["patient"].name
        notes = [
            f"Starting this plan ends “{plan.title}” (from {plan.start_date:%-d %b %Y}) today, "
            f"{today:%a %-d %b}: it is marked completed, and its sessions and logs stay in "
            f"{name}'s record."
        ]
        todays = list(plan.sessions.filter(date=today))
        if any(s.finished is None for s in todays):
            notes.append(
                f"{name} started today's session on it and has not finished it: that session "
                "stays as it is, unfinished, and is not moved to the new plan."
            )
        else:
            notes.append(
                "A session started today on it and not finished would stay as it is: "
                "unfinished, and not moved to the new plan."
            )
        start = data.get("start_date")
        if todays and start == today:
            notes.append(
                f"{name} has already had a session today: start the new plan tomorrow unless "
                "a second session today is meant."
            )
        if start and start > today:
            notes.append(f"{name} has no sessions from today until {start:%a %-d %b %Y}.")
        return notes


def unnamed_leg_rows(program):
    """The rows of one-leg exercises that name no leg yet (a template's "both")."""
    rows = program.prescriptions.filter(exercise__unilateral=True, side=Prescription.Side.BOTH)
    return list(rows.select_related("exercise"))


DOSE_FIELDS = [
    "sets",
    "reps",
    "hold_seconds",
    "side",
    "tempo",
    "effort",
    "rest_seconds",
    "pain_ceiling",
    "load_kind",
    "load_amount",
    "load_text",
    "frequency",
    "frequency_count",
    "weekdays",
    "notes",
]


class ChangeFromWeekForm(forms.Form):
    """A row's new dose from a program week on (services.apply_progression does the change)."""

    from_week = forms.IntegerField(
        min_value=1,
        max_value=104,
        label="From week",
        help_text="The new dose starts this program week; the row ends the week before.",
    )

    def __init__(self, *args, row, from_week, **kwargs):
        initial = {name: getattr(row, name) for name in DOSE_FIELDS}
        super().__init__(*args, initial={**initial, "from_week": from_week}, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Prescription,
                fields=DOSE_FIELDS,
                widgets={"notes": forms.Textarea(attrs={"rows": 2, "cols": 40})},
            )
        )
        self.fields["weekdays"] = WeekdaysField(label="Weekdays")

    def dose(self):
        return {name: self.cleaned_data[name] for name in DOSE_FIELDS}

    def add_model_error(self, error):
        """Show the model's refusal next to the field it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            name = {"week_from": "from_week"}.get(name, name)
            self.add_error(name if name in self.fields else None, errors)
