"""Wrong passwords lock a username and address pair out for a while (django-axes)."""

import logging
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.utils import timezone
from pytest_django.asserts import assertContains

from programs.models import SigninLink

pytestmark = pytest.mark.django_db

PATIENT_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def signed_in(client):
    return "_auth_user_id" in client.session


def patient_try(client, password, email="alice@example.test", **extra):
    return client.post(PATIENT_LOGIN, {"username": email, "password": password}, **extra)


def admin_try(client, password):
    return client.post(ADMIN_LOGIN, {"username": "theo", "password": password})


def cool_off_passes(settings):
    """Age every recorded failure past the cool-off, as if that much time went by."""
    later = settings.AXES_COOLOFF_TIME + timezone.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - later)


def test_wrong_passwords_lock_a_patient_out_then_the_right_one_waits(client, patient, settings):
    for _ in range(4):
        assertContains(patient_try(client, "wrong"), "don&#x27;t match")
    response = patient_try(client, "wrong")
    assertContains(response, "Please wait a little", status_code=429)
    assertContains(response, "30 minutes", status_code=429)
    assertContains(response, "Email me a sign-in link", status_code=429)
    response = patient_try(client, "alice-pass-123")
    assert response.status_code == 429
    assert not signed_in(client)
    cool_off_passes(settings)
    response = patient_try(client, "alice-pass-123")
    assert response.status_code == 302 and signed_in(client)


def test_a_success_resets_the_count(client, patient):
    for _ in range(4):
        patient_try(client, "wrong")
    assert patient_try(client, "alice-pass-123").status_code == 302
    client.logout()
    for _ in range(4):
        assert patient_try(client, "wrong").status_code == 200
    assert patient_try(client, "alice-pass-123").status_code == 302


def test_the_lockout_is_per_account_and_address(client, patient, other_patient):
    for _ in range(5):
        patient_try(client, "wrong")
    assert patient_try(client, "alice-pass-123").status_code == 429
    # Someone else elsewhere can still sign in as Alice, and Bob here still can.
    assert patient_try(client, "alice-pass-123", REMOTE_ADDR="203.0.113.9").status_code == 302
    client.logout()
    response = patient_try(client, "bob-pass-123", email="bob@example.test")
    assert response.status_code == 302


def test_email_case_and_spaces_do_not_get_round_the_count(client, patient):
    for email in ["alice@example.test", "ALICE@example.test", " Alice@Example.Test "] * 2:
        patient_try(client, "wrong", email=email)
    assert patient_try(client, "alice-pass-123").status_code == 429


def test_a_locked_out_patient_can_still_sign_in_with_a_link(client, patient):
    for _ in range(5):
        patient_try(client, "wrong")
    _, token = SigninLink.issue(patient)
    client.get(f"/accounts/link/{token}/")
    client.post("/accounts/link/confirm/")
    assert signed_in(client)


def test_wrong_admin_passwords_lock_staff_out_with_the_admins_look(client, therapist, settings):
    for _ in range(4):
        assertContains(admin_try(client, "wrong"), "Please enter the correct username")
    response = admin_try(client, "wrong")
    assertContains(response, "Sign-in paused", status_code=429)
    assertContains(response, "30 minutes", status_code=429)
    assert admin_try(client, "therapist-pass-1").status_code == 429
    cool_off_passes(settings)
    assert admin_try(client, "therapist-pass-1").status_code == 302
    assert signed_in(client)


def test_failed_sign_ins_are_logged_and_kept(client, patient, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        patient_try(client, "wrong", REMOTE_ADDR="198.51.100.7")
    assert "alice@example.test" in caplog.text and "198.51.100.7" in caplog.text
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address) == ("alice@example.test", "198.51.100.7")


def axes_settings_with(**env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AXES_")}
    env = {**clean, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "creekside.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    return result.stdout.split() or result.stderr


def test_the_failure_limit_and_cool_off_come_from_the_environment():
    assert axes_settings_with() == ["10", "1800.0"]
    assert axes_settings_with(AXES_FAILURE_LIMIT="7", AXES_COOLOFF_MINUTES="45") == ["7", "2700.0"]
