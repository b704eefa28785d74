from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from creekside import dose_words

SCALE_ERROR = _("Choose a number from 0 to 10.")
PAIN_WORDS = {0: _("No pain"), 10: _("Worst pain you can imagine")}
# Modified Borg CR10 (Foster session-RPE), docs/clinical.md §4.
EFFORT_WORDS = {
    0: pgettext_lazy("effort scale", "Rest"),
    1: _("Very, very easy"),
    2: _("Easy"),
    3: _("Moderate"),
    4: _("Somewhat hard"),
    5: _("Hard"),
    7: _("Very hard"),
    10: _("Maximal"),
}
SKIP_REASONS = [
    ("Too hard", _("It was too hard")),
    ("It hurt a bit", _("It hurt a bit")),
    ("No time", _("No time")),
    ("No equipment", _("I don't have the equipment")),
    ("Other", _("Another reason")),
]
OTHER_REASON = "Other"


def scale_field(label, words, help_text=""):
    """A required 0-10 radio scale; each choice's label is its word (often empty)."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(n, words.get(n, "")) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": SCALE_ERROR, "invalid_choice": SCALE_ERROR},
    )


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address: patients' usernames are their emails."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email and password don't match. Check them and try again."),
    }

    def clean_username(self):
        email = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(email__iexact=email)[:2]
        return users[0].username if len(users) == 1 else email.lower()


# Django's words speak of a "username" and "verification"; a patient has an email.
PASSWORD_HELP = _(
    "Use at least 8 characters. Not only numbers, not a common password, and not like your "
    "email address."
)
PASSWORD_WORDS = {
    "password_too_similar": _("This password is too like your email address. Choose another one."),
    "password_too_common": _(
        "This password is too common, so it is easy to guess. Choose another one."
    ),
    "password_entirely_numeric": _("Use some letters too, not only numbers."),
    "password_mismatch": _("The two passwords are not the same. Type them again."),
}


class PatientSetPasswordForm(SetPasswordForm):
    """Set a password, in a patient's words: no username, no 'verification'."""

    error_messages = {**SetPasswordForm.error_messages, **PASSWORD_WORDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("Type the new password again")
        self.fields["new_password2"].help_text = _("So we know it has no typing mistake.")

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(password_field_name, [_reworded(e) for e in error.error_list])


class PatientPasswordChangeForm(PatientSetPasswordForm, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        **PASSWORD_WORDS,
        "password_incorrect": _("That is not the password you use now. Please type it again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("The password you use now")


def _reworded(error):
    words = PASSWORD_WORDS.get(error.code)
    return ValidationError(words, code=error.code) if words else error


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("The email address the clinic has for you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class StepDoneForm(forms.Form):
    reps_done = forms.IntegerField(label=_("Reps done"), min_value=0, max_value=500)
    seconds_done = forms.IntegerField(label=_("Seconds held"), min_value=0, max_value=3600)
    load_used = forms.CharField(
        label=_("Weight or band used"), max_length=80, required=False, help_text=""
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        if step.is_hold:
            del self.fields["reps_done"]
            self.fields["seconds_done"].initial = step.target_seconds
        else:
            del self.fields["seconds_done"]
            self.fields["reps_done"].initial = step.target_reps_high or step.target_reps_low
        if step.target_load in ("", "bodyweight"):
            del self.fields["load_used"]
        else:
            # Django renders help_text as HTML; the load is the therapist's text, so escape it.
            self.fields["load_used"].help_text = format_html(
                gettext("Leave empty if you used {}."), dose_words.load_name(step.target_load)
            )


class SkipForm(forms.Form):
    """Why a set is skipped: the patient's own choice, never a preselected one."""

    reason = forms.ChoiceField(
        label=_("Why are you skipping it?"),
        choices=SKIP_REASONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why you are skipping it."),
            "invalid_choice": _("Choose why you are skipping it."),
        },
    )
    other = forms.CharField(
        label=_("Tell us more, if you like"), required=False, max_length=150, strip=True
    )

    def reason_text(self):
        """The reason as stored: 'No time', or 'Other: my knee was stiff' with the patient's words."""
        reason, other = self.cleaned_data["reason"], self.cleaned_data.get("other", "")
        return f"{reason}: {other}" if reason == OTHER_REASON and other else reason


class StopForm(forms.Form):
    pain = scale_field(_("How much does it hurt right now?"), PAIN_WORDS)


class FinishForm(forms.Form):
    pain_during = scale_field(_("How much did it hurt during the session?"), PAIN_WORDS)
    effort = scale_field(_("How hard was the session overall?"), EFFORT_WORDS)
    note = forms.CharField(
        label=_("Anything to tell your therapist? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckinForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    pain = scale_field(_("How does your hamstring feel?"), PAIN_WORDS)
