"""Brute-force protection with django-axes: a backend that counts, and a kind lockout page."""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.shortcuts import render
from django.urls import reverse


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a locked-out username and address pair before any password is checked.

    Sign-ins over HTTP always pass the request (Django's and the admin's login forms do).
    Without one (the shell, the test client's login()) there is nothing to count by.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked-out sign-in: the admin's look for staff, the patient's otherwise."""
    cool_off = get_cool_off(request)  # None: locked until the clinic resets it
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    in_admin = request.path.startswith(reverse("admin:index"))
    template = "admin/locked_out.html" if in_admin else "registration/locked_out.html"
    context = {"minutes": minutes, "hide_signin": True}
    return render(request, template, context, status=429)
