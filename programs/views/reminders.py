"""The patient's reminder settings, and the unsubscribe link that works signed out."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from programs import reminders
from programs.models import CalendarFeed, Patient, ReminderSettings
from programs.reminder_forms import ReminderSettingsForm
from programs.views.access import patient_page
from programs.views.calendar import feed_urls


def _reminder_settings(request):
    """The signed-in patient's choice (not saved yet if they never chose)."""
    patient = get_object_or_404(Patient, user=request.user)
    choice = ReminderSettings.objects.filter(patient=patient).first()
    return choice or ReminderSettings(patient=patient)


@patient_page
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    choice = _reminder_settings(request)
    form = ReminderSettingsForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        choice = form.save()
        if choice.is_on:
            messages.success(request, _("Saved. Your reminders are on."))
        else:
            messages.success(request, _("Saved. You won't get reminders."))
        return redirect("programs:reminder_settings")
    urls = feed_urls(CalendarFeed.for_patient(choice.patient))
    context = {"form": form, "nav": "settings", "urls": urls, "patient": choice.patient}
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
