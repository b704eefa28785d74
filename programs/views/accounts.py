"""Signing in: passwords, single-use links, and the staff sign-in card."""

from functools import partial, wraps

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from creekside.language import supported, use_patient_language
from programs import notices, services
from programs.forms import (
    LinkRequestForm,
    PatientPasswordChangeForm,
    PatientSetPasswordForm,
)
from programs.models import OutboxEmail, Patient, SigninLink
from programs.tasks import patient_locale, queue_email

LINK_TOKEN_KEY = "signin_link_token"  # the link's token, out of the URL until it is used
LINK_SIGNIN_KEY = "signed_in_by_link_at"  # lets password_set skip the old password, once
LINK_SIGNIN_WINDOW = 30 * 60  # seconds: long enough to choose a password, not all day

# Sign-in ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signin_link_redeem(request, token):
    """Move the token into the session and go on at a URL without it.

    As Django's PasswordResetConfirmView does, so the token stays out of access logs,
    browser history and Referer headers after this first request.
    """
    if request.method == "POST":  # a confirm page opened before tokens left the URL
        return _redeem(request, token)
    link = _link_for(token)
    refused = services.link_refusal(link)
    mine = request.user.is_authenticated and link and link.patient.user_id == request.user.pk
    if refused == "used" and mine:  # their own card, scanned again while signed in
        return redirect("programs:today")
    if refused:
        return _link_refused(request, refused)
    request.session[LINK_TOKEN_KEY] = token
    return redirect("signin_link_confirm")


@never_cache
@require_http_methods(["GET", "POST"])
def signin_link_confirm(request):
    # A GET only asks: mail scanners that open links must not use them up.
    token = request.session.get(LINK_TOKEN_KEY)
    if request.method == "POST":
        return _redeem(request, request.session.pop(LINK_TOKEN_KEY, None))
    refused = services.link_refusal(_link_for(token)) if token else "unknown"
    if refused:
        return _link_refused(request, refused)
    return render(request, "registration/signin_link_confirm.html", {"hide_signin": True})


def _link_for(token):
    return SigninLink.objects.filter(token_hash=SigninLink.hash_token(token)).first()


def _redeem(request, token):
    if not token:
        return _link_refused(request, "unknown")
    redemption = services.redeem_signin_link(token)
    if redemption.user is None:
        return _link_refused(request, redemption.refused)
    login(request, redemption.user, backend="django.contrib.auth.backends.ModelBackend")
    # Holding the link proves who they are, so password_set may skip the old password.
    request.session[LINK_SIGNIN_KEY] = timezone.now().timestamp()
    return redirect("password_set")


def _link_refused(request, reason):
    # "account": the link is fine, but its patient can't sign in (an inactive or clashing
    # account). A new link would fail the same way, so only the clinic can help.
    status = 403 if reason == "account" else 410
    context = {"reason": reason, "hide_signin": False}
    return render(request, "registration/signin_link_invalid.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signin_link_request(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        services.email_signin_link(email, partial(_send_link, request))
        return redirect("signin_link_sent")
    return render(request, "registration/signin_link_request.html", {"form": form})


def _send_link(request, patient, link, token):
    """Queue the link's email (programs/tasks.py): the worker sends it, retrying if need be."""
    url = request.build_absolute_uri(reverse("signin_link_redeem", args=[token]))
    with patient_locale(patient):
        context = {"patient": patient, "url": url, "link": link}
        context["has_password"] = notices.has_password(patient)  # the email is the notice too
        body = render_to_string("registration/signin_link_email.txt", context)
        subject = gettext("Your Creekside sign-in link")
    queue_email(
        f"signin:{link.pk}", OutboxEmail.Kind.SIGNIN, patient.email, subject, body, patient=patient
    )


@require_GET
def signin_link_sent(request):
    days = settings.SIGNIN_LINK_MAX_AGE_DAYS
    return render(request, "registration/signin_link_sent.html", {"days": days})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_set(request):
    if request.user.is_staff:
        return redirect("admin:password_change")
    patient = Patient.objects.filter(user=request.user).first()
    if patient is not None:  # often the first page after a sign-in link: in their language
        use_patient_language(request, patient)
    just_linked = _just_signed_in_by_link(request)
    if just_linked or not request.user.has_usable_password():
        form = PatientSetPasswordForm(request.user, request.POST or None)
    else:
        form = PatientPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        if patient is not None:  # in case it wasn't them: a link left open, a shared device
            notices.password_changed(patient)
        request.session.pop(LINK_SIGNIN_KEY, None)  # one password per link
        messages.success(
            request,
            gettext("Your password is set. Next time, sign in with your email and password."),
        )
        return redirect("programs:today")
    changing = isinstance(form, PasswordChangeForm)
    context = {"form": form, "just_linked": just_linked, "changing": changing}
    return render(request, "registration/password_set.html", context)


def _just_signed_in_by_link(request):
    """Whether this session redeemed a sign-in link within the last LINK_SIGNIN_WINDOW."""
    redeemed = request.session.get(LINK_SIGNIN_KEY)
    return redeemed is not None and timezone.now().timestamp() - redeemed < LINK_SIGNIN_WINDOW


def _admin_member_required(view):
    """staff_member_required by the admin site's own rule, so two-factor applies here too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@_admin_member_required
@require_POST
def signin_link_new(request, patient_pk):
    if not request.user.has_perm("programs.add_signinlink"):
        raise PermissionDenied
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    link, token = SigninLink.issue(patient, created_by=request.user)
    notices.link_issued(patient)
    url = request.build_absolute_uri(reverse("signin_link_redeem", args=[token]))
    qr = segno.make(url, error="m").svg_inline(scale=4, title="QR code for the sign-in link")
    context = {"patient": patient, "link": link, "url": url, "qr": qr}
    with override(supported(patient.language)):  # the card is the patient's to keep
        return render(request, "programs/signin_card.html", context)
