"""With STAFF_REQUIRE_2FA on, the admin needs a TOTP code from a verified device (django-otp)."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _two_factor(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def device(therapist):
    return TOTPDevice.objects.create(user=therapist, name="Phone", confirmed=True)


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, **extra):
    return client.post(LOGIN, {"username": "theo", "password": "therapist-pass-1", **extra})


def signed_in(client):
    return "_auth_user_id" in client.session


def test_a_password_session_alone_does_not_open_the_admin(client, therapist):
    client.force_login(therapist)
    for path in ["/admin/", "/admin/programs/patient/", "/admin/auth/user/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
    login_page = client.get(response["Location"])
    assertContains(login_page, 'name="otp_token"')
    assertContains(login_page, "also needs the code from your authenticator app")


def test_without_a_device_staff_are_told_to_ask_for_one(client, therapist):
    response = sign_in(client, otp_token="123456")
    assertContains(response, "no authenticator app set up yet")
    assert not signed_in(client)


def test_password_and_a_valid_code_open_the_admin(client, therapist, device):
    response = sign_in(client, otp_token=code(device))
    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/password_change/").status_code == 200


def test_a_wrong_or_missing_code_is_refused(client, therapist, device):
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    assertContains(sign_in(client, otp_token=wrong), "Invalid token")
    assertContains(sign_in(client), "Please enter your OTP token")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_from_the_recovery_command_works_once(client, therapist, device):
    backup = StaticDevice.objects.create(user=therapist, name="Backup codes")
    backup.token_set.create(token="r3c0v3ry")
    response = sign_in(client, otp_device=backup.persistent_id, otp_token="r3c0v3ry")
    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    client.logout()
    sign_in(client, otp_device=backup.persistent_id, otp_token="r3c0v3ry")
    assert not signed_in(client)


def test_the_sign_in_card_needs_a_verified_staff_member_too(client, therapist, cara):
    from django.contrib.auth.models import Permission

    therapist.user_permissions.add(Permission.objects.get(codename="add_signinlink"))
    client.force_login(therapist)
    response = client.post(f"/accounts/links/new/{cara.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not cara.signin_links.exists()


def test_with_two_factor_off_the_password_is_enough(client, therapist, settings):
    settings.STAFF_REQUIRE_2FA = False
    assertRedirects(sign_in(client), "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


def require_2fa_with(**env):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.STAFF_REQUIRE_2FA)"
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STAFF_REQUIRE_2FA"}}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "creekside.settings", "SECRET_KEY": "k", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    return result.stdout.strip() or result.stderr


def test_two_factor_is_required_in_production_and_optional_in_development():
    assert require_2fa_with() == "True"
    assert require_2fa_with(DEBUG="1") == "False"
    assert require_2fa_with(DEBUG="1", STAFF_REQUIRE_2FA="1") == "True"


# Recovery: manage.py totp_device ---------------------------------------------------------


def test_the_command_sets_up_an_authenticator_and_prints_its_qr_code(therapist, capsys):
    call_command("totp_device", "theo")
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user=therapist)
    assert device.confirmed
    assert "otpauth://totp/Creekside%20HEP%3Atheo?secret=" in out
    assert "█" in out or "▀" in out  # the QR code, drawn in the terminal


def test_the_command_replaces_a_lost_phone_only_when_asked(
    client, therapist, device, capsys, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code straight before the right one
    with pytest.raises(CommandError, match="--reset"):
        call_command("totp_device", "theo")
    call_command("totp_device", "theo", "--reset")
    assert "Removed 1 device" in capsys.readouterr().out
    new = TOTPDevice.objects.get(user=therapist)
    assert new.pk != device.pk
    assertContains(sign_in(client, otp_token=code(device)), "Invalid token")  # the lost phone's
    assertRedirects(sign_in(client, otp_token=code(new)), "/admin/", fetch_redirect_response=False)


def test_the_command_refuses_patients(patient):
    with pytest.raises(CommandError, match="No staff user"):
        call_command("totp_device", "alice@example.test")


def test_resetting_the_device_unverifies_sessions_it_verified(client, therapist, device):
    sign_in(client, otp_token=code(device))
    assert client.get("/admin/").status_code == 200
    call_command("totp_device", "theo", "--reset", stdout=io.StringIO())
    assert client.get("/admin/").status_code == 302
