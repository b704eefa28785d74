"""The questionnaires patients fill in on their phone: LEFS (20 items, 0-4) and PSFS (0-10)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs import outcomes
from programs.forms import scale_field

LEFS_ERROR = _("Choose one answer for this activity.")
EXAMPLE = _("For example: walking the dog, or getting up from the floor.")
NO_ACTIVITY = _("Write at least one activity, and choose how well you can do it.")


class LefsForm(forms.Form):
    """One required 0-4 radio question per LEFS activity, in Binkley's order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, text in enumerate(outcomes.LEFS_ITEMS, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {text}",
                choices=outcomes.LEFS_ANSWERS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": LEFS_ERROR, "invalid_choice": LEFS_ERROR},
            )

    def questions(self):
        return list(self)

    def answer(self):
        """The keyword arguments OutcomeRequest.answer takes."""
        return {"answers": [self.cleaned_data[f"item_{n}"] for n in range(1, 21)]}


class PsfsForm(forms.Form):
    """Rate the activities the therapist named, or name up to 5 and rate each."""

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.named = list(activities)
        for number in range(1, (len(self.named) or outcomes.PSFS_MAX_ACTIVITIES) + 1):
            if not self.named:
                self.fields[f"activity_{number}"] = forms.CharField(
                    label=gettext("Activity %(n)s") % {"n": number},
                    max_length=120,
                    required=False,
                    help_text=EXAMPLE if number == 1 else "",
                )
            if self.named:
                label = self.named[number - 1]
            else:
                label = gettext("How well can you do activity %(n)s today?") % {"n": number}
            field = scale_field(label, outcomes.PSFS_WORDS)
            field.required, field.empty_value = bool(self.named), None
            self.fields[f"score_{number}"] = field

    def rows(self):
        """(activity field or None, score field) per row, for the template."""
        count = len(self.named) or outcomes.PSFS_MAX_ACTIVITIES
        return [
            (None if self.named else self[f"activity_{n}"], self[f"score_{n}"])
            for n in range(1, count + 1)
        ]

    def clean(self):
        data = super().clean()
        if self.named:
            return data
        if not any((data.get(f"activity_{n}") or "").strip() for n in range(1, 6)):
            self.add_error("activity_1", NO_ACTIVITY)
        for number in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1):
            activity = (data.get(f"activity_{number}") or "").strip()
            score = data.get(f"score_{number}")
            if activity and score is None and f"score_{number}" not in self.errors:
                self.add_error(
                    f"score_{number}", gettext("Choose a number from 0 to 10 for this one.")
                )
            if score is not None and not activity:
                self.add_error(f"activity_{number}", gettext("Write what this activity is."))
        return data

    def answer(self):
        if self.named:
            pairs = [
                (name, self.cleaned_data[f"score_{n}"]) for n, name in enumerate(self.named, 1)
            ]
        else:
            pairs = [
                (self.cleaned_data[f"activity_{n}"].strip(), self.cleaned_data[f"score_{n}"])
                for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
                if (self.cleaned_data.get(f"activity_{n}") or "").strip()
            ]
        return {"activities": [{"activity": name, "score": score} for name, score in pairs]}


def questionnaire_form(outcome_request, data=None):
    if outcome_request.kind == outcomes.LEFS:
        return LefsForm(data)
    return PsfsForm(data, activities=outcome_request.activities)
