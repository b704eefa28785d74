"""The admin's forms: prescription rows, their formset, and starting a template."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.utils import timezone

from creekside.dosing import WEEKDAY_NAMES
from programs.models import Patient, Prescription, Program
from programs.models.prescription import overlap_error
from programs.schedule import Rx, overlapping


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
        # The formset checks overlaps across all its rows, as edited, in one pass.
        self.instance.check_siblings = False
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


class PrescriptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Refuse two rows that give the same exercise to the same leg in the same weeks.

        The model checks each row against the saved ones; here the rows are checked together,
        as the therapist has just edited them, with the same rule (programs.schedule).
        """
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("exercise"):
                continue
            rows.append(
                Rx(
                    key=data["exercise"],
                    week_from=data.get("week_from") or 1,
                    week_to=data.get("week_to"),
                    exercise=data["exercise"].pk,
                    side=data.get("side") or "both",
                )
            )
        clashes = overlapping(rows)
        if clashes:
            raise overlap_error(clashes[0][0].key.name)
