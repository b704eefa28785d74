"""The patient's choices: their language; reminders on or off, how, when, and which days."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Patient, ReminderSettings
from programs.models.people import time_zone_names

# A list, not a time input: it works the same in every browser and is easy to tap.
TIMES = [(f"{h:02d}:{m:02d}:00", f"{h:02d}:{m:02d}") for h in range(24) for m in (0, 15, 30, 45)]


class ReminderSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Your time zone"))

    class Meta:
        model = ReminderSettings
        fields = ["enabled", "by_email", "time_of_day", "session_days_only", "missed_yesterday"]
        labels = {
            "enabled": _("Send me reminders"),
            "by_email": _("By email"),
            "time_of_day": _("At this time"),
            "session_days_only": _("Only on my session days"),
            "missed_yesterday": _("A gentle note the day after I miss a session"),
        }
        help_texts = {
            "time_of_day": _("Your time of day, where you are."),
            "session_days_only": _(
                "Without this, we remind you on any day you can still do a session that week."
            ),
            "missed_yesterday": _("Off unless you want it."),
        }
        widgets = {"time_of_day": forms.Select(choices=TIMES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in sorted(time_zone_names())]
        self.initial.setdefault("time_zone", self.instance.patient.time_zone)
        chosen = self.instance.time_of_day.strftime("%H:%M:00")
        if chosen not in dict(TIMES):  # a time set some other way stays on the list
            self.fields["time_of_day"].widget.choices = sorted([*TIMES, (chosen, chosen[:5])])

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not data.get("by_email"):
            raise ValidationError(
                _("Choose how to get your reminders: email is the only way for now."),
                code="no_channel",
            )
        return data

    def save(self, commit=True):
        """Save the choice (its time counts from now) and the patient's time zone."""
        choice = super().save(commit=False)
        choice.changed = timezone.now()
        if choice.enabled:
            choice.unsubscribed = None
        patient = choice.patient
        if patient.time_zone != self.cleaned_data["time_zone"]:
            patient.time_zone = self.cleaned_data["time_zone"]
            patient.save(update_fields=["time_zone"])
        choice.save()
        return choice


LANGUAGE_FIELD = "language-language"  # the language form's field, with its prefix


class LanguageForm(forms.ModelForm):
    """The language of the patient's pages and emails (their therapist sets it first)."""

    class Meta:
        model = Patient
        fields = ["language"]
        labels = {"language": _("Language")}
        help_texts = {"language": _("For your pages, reminders and emails.")}
        widgets = {"language": forms.RadioSelect}
