"""Who may open a patient page, and which plan and session it shows."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from creekside import audit
from creekside.language import use_patient_language
from programs.models import ExerciseSession, Patient, Program


def patient_page(view):
    """Sign-in required; staff belong in the admin, not on patient pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _to_sign_in(request, kwargs.get("pk"))
        if request.user.is_staff:
            return redirect("admin:index")
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            audit.record_read(request, request.user, f"their own {request.path}")
        return response

    return wrapper


def _to_sign_in(request, session_pk):
    """Sign in, then come back to a page that can be opened (a POST URL would answer 405)."""
    if request.method in ("GET", "HEAD"):
        after = request.get_full_path()
    elif session_pk is not None:
        after = reverse("programs:session_detail", args=[session_pk])
    else:
        after = reverse("programs:today")
    response = redirect_to_login(after)
    if request.htmx:
        # A whole page, not the sign-in form swapped into the step card.
        return HttpResponseClientRedirect(response.url)
    return response


def _chosen_program(request):
    """The plan that Today, My plan and History show, or None.

    The patient's active plan (there is at most one, started or not); else their latest
    paused or completed plan. Drafts are the therapist's, never shown.
    """
    plans = list(
        Program.objects.for_user(request.user)
        .exclude(status=Program.Status.DRAFT)
        .select_related("patient")
    )
    if plans:
        use_patient_language(request, plans[0].patient)
    active = next((p for p in plans if p.status == Program.Status.ACTIVE), None)
    return active or max(
        plans, key=lambda p: (p.status_since, p.start_date, p.created), default=None
    )


def _get_session(request, pk):
    session = get_object_or_404(
        ExerciseSession.objects.select_related("program__patient"),
        pk=pk,
        program__patient__user=request.user,
    )
    use_patient_language(request, session.program.patient)
    return session


def _no_program(request):
    patient = Patient.objects.filter(user=request.user).only("language").first()
    if patient is not None:  # no plan loaded it: one small query on this rare page
        use_patient_language(request, patient)
    return render(request, "programs/no_program.html", {"nav": "today"})
