"""The admin site: staff sign in with a password and, when STAFF_REQUIRE_2FA is on, a TOTP code."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

NO_DEVICE = (
    "Your account has no authenticator app set up yet. Ask a clinic lead to set one up for you."
)


class StaffOTPLoginForm(OTPAdminAuthenticationForm):
    """Password and code in one step: the code is checked against the user's authenticator app
    unless they choose another device (the form offers the choice once the password is right)."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is not None:
            return device
        devices = list(devices_for_user(user, for_verify=True))
        if not devices:
            raise forms.ValidationError(NO_DEVICE, code="no_device")
        if len(devices) > 1:
            devices = [d for d in devices if isinstance(d, TOTPDevice)]
        return devices[0] if len(devices) == 1 else None


class ClinicAdminSite(admin.AdminSite):
    site_header = "Creekside HEP"
    site_title = "Creekside HEP admin"
    index_title = "Clinic workbench"

    # Read on every request, so the setting can change without a new site (and in tests).
    @property
    def login_form(self):
        return StaffOTPLoginForm if settings.STAFF_REQUIRE_2FA else None

    @property
    def login_template(self):
        return "admin/otp_login.html" if settings.STAFF_REQUIRE_2FA else None

    def has_permission(self, request):
        """Active staff may in; with two-factor required, only once a device verified them."""
        if not super().has_permission(request):
            return False
        return not settings.STAFF_REQUIRE_2FA or request.user.is_verified()
