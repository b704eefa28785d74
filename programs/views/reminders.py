"""The patient's settings (language, reminders, calendar), and the unsubscribe link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from creekside.language import use_patient_language
from programs import reminders
from programs.models import CalendarFeed, Patient, ReminderSettings
from programs.reminder_forms import LANGUAGE_FIELD, LanguageForm, ReminderSettingsForm
from programs.views.access import patient_page
from programs.views.calendar import feed_urls


def _reminder_settings(request):
    """The signed-in patient's choice (not saved yet if they never chose)."""
    patient = get_object_or_404(Patient, user=request.user)
    use_patient_language(request, patient)
    choice = ReminderSettings.objects.filter(patient=patient).first()
    return choice or ReminderSettings(patient=patient)


@patient_page
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The patient's settings: their language, reminders and calendar (two forms, one page)."""
    choice = _reminder_settings(request)
    posted = request.POST if request.method == "POST" else None
    by_language = posted is not None and LANGUAGE_FIELD in posted
    language_form = LanguageForm(
        posted if by_language else None, instance=choice.patient, prefix="language"
    )
    form = ReminderSettingsForm(None if by_language else posted, instance=choice)
    if by_language and language_form.is_valid():
        use_patient_language(request, language_form.save())
        messages.success(request, _("Saved. Your pages and emails will be in this language."))
        return redirect("programs:reminder_settings")
    if posted is not None and not by_language and form.is_valid():
        choice = form.save()
        if choice.is_on:
            messages.success(request, _("Saved. Your reminders are on."))
        else:
            messages.success(request, _("Saved. You won't get reminders."))
        return redirect("programs:reminder_settings")
    urls = feed_urls(CalendarFeed.for_patient(choice.patient))
    context = {"form": form, "language_form": language_form, "nav": "settings", "urls": urls}
    context["patient"] = choice.patient
    return render(request, "programs/reminder_settings.html", context)


@never_cache
@csrf_exempt  # the signed token is the proof; mail apps post here with no cookie (RFC 8058)
@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token):
    """GET asks (mail scanners open links); POST turns reminders off, signed in or not."""
    patient_pk = reminders.patient_for_unsubscribe(token)
    if patient_pk is None:
        raise Http404("Not an unsubscribe link.")
    choice = ReminderSettings.objects.filter(patient_id=patient_pk).first()
    if request.method == "POST":
        if choice is not None and choice.enabled:
            choice.turn_off()
        return render(request, "programs/reminder_unsubscribe.html", {"done": True})
    return render(request, "programs/reminder_unsubscribe.html", {"done": False, "token": token})
