"""Questionnaires the therapist asked for (LEFS, PSFS), filled in by the patient."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from creekside.language import use_patient_language
from programs import outcomes
from programs.models import OutcomeRequest
from programs.outcome_forms import questionnaire_form
from programs.views.access import patient_page

THANKS = _("Thank you for filling this in. Your therapist will look at it with you.")
ALREADY_SENT = _("You've already sent this form. Thank you, there's nothing more to do.")


def pending_requests(user):
    """The patient's waiting questionnaires, lazily: one query when a template first reads it."""
    return OutcomeRequest.objects.for_user(user).pending().order_by("requested_at")


def _get_outcome_request(request, pk):
    found = get_object_or_404(
        OutcomeRequest.objects.select_related("patient"), pk=pk, patient__user=request.user
    )
    use_patient_language(request, found.patient)
    return found


@patient_page
@require_http_methods(["GET", "POST"])
def outcome_request_detail(request, pk):
    outcome_request = _get_outcome_request(request, pk)
    if outcome_request.is_answered:
        messages.success(request, ALREADY_SENT)
        return redirect("programs:today")
    form = questionnaire_form(outcome_request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # None when another tab sent it a moment earlier: either way it is stored once.
        outcome_request.answer(request.user, **form.answer())
        messages.success(request, THANKS)
        return redirect("programs:today")
    context = {
        "nav": "today",
        "outcome_request": outcome_request,
        "form": form,
        "is_lefs": outcome_request.kind == outcomes.LEFS,
        "intro": outcomes.LEFS_INTRO
        if outcome_request.kind == outcomes.LEFS
        else outcomes.PSFS_INTRO,
        "missing": [field for field in form if field.errors],
    }
    return render(request, "programs/outcome_request_detail.html", context)
