"""Security notices: the patient hears by email when a way into their account is made."""

import socket

import pytest
from django.core import mail
from pytest_django.asserts import assertRedirects

from programs.models import SigninLink
from tests.conftest import ALICE_EMAIL, ALICE_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "calm-river-stone-42"


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def only_message():
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def assert_plain_and_kind(message):
    assert message.to == [ALICE_EMAIL]
    assert "Hello Alice Patient" in message.body
    assert "+1 555 0100" in message.body  # whom to call if it wasn't them
    assert "<" not in message.body and not message.alternatives
    assert len(message.body.split()) < 90


# A sign-in link for an account that has a password ---------------------------------------


def test_a_link_the_clinic_makes_is_notified_to_a_patient_with_a_password(
    therapist_client, patient
):
    response = therapist_client.post(f"/accounts/links/new/{patient.pk}/")
    assert response.status_code == 200
    message = only_message()
    assert message.subject == "A sign-in link was made for your Creekside account"
    assert "made a sign-in link for your home exercise account" in message.body
    assert "2 November 2026 at 09:00" in message.body
    assert "/accounts/link/" not in message.body  # the notice never carries the link
    assert_plain_and_kind(message)


def test_a_first_link_for_a_new_patient_sends_no_notice(therapist_client, cara):
    therapist_client.post(f"/accounts/links/new/{cara.pk}/")
    assert mail.outbox == []


def test_a_patient_whose_account_has_no_password_gets_no_notice(therapist_client, patient):
    patient.user.set_unusable_password()
    patient.user.save()
    therapist_client.post(f"/accounts/links/new/{patient.pk}/")
    assert mail.outbox == []


def test_an_emailed_link_is_itself_the_notice(client, patient):
    client.post("/accounts/link/", {"email": ALICE_EMAIL})
    message = only_message()  # one email, not two
    assert message.subject == "Your Creekside sign-in link"
    assert "If you didn't ask for it, you can ignore this email." in message.body
    assert "Your password still works" in message.body


def test_an_emailed_first_link_does_not_talk_about_a_password(client, cara):
    client.post("/accounts/link/", {"email": "cara@example.test"})
    assert "password" not in only_message().body


def test_the_clinic_card_is_made_even_when_the_notice_cannot_be_sent(
    therapist_client, patient, mail_server_down
):
    response = therapist_client.post(f"/accounts/links/new/{patient.pk}/")
    assert response.status_code == 200
    assert SigninLink.objects.filter(patient=patient).count() == 1


# The password changes --------------------------------------------------------------------


def test_changing_the_password_sends_a_notice(alice):
    data = {
        "old_password": ALICE_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    assertRedirects(alice.post("/accounts/password/", data), "/", fetch_redirect_response=False)
    message = only_message()
    assert message.subject == "Your Creekside password was changed"
    assert "a new password was saved for your home exercise account" in message.body
    assert NEW_PASSWORD not in message.body
    assert_plain_and_kind(message)


def test_a_refused_password_change_sends_nothing(alice):
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert alice.post("/accounts/password/", data).status_code == 200
    assert mail.outbox == []


def test_setting_a_password_after_a_link_sends_a_notice(client, patient):
    _, token = SigninLink.issue(patient)
    client.post(f"/accounts/link/{token}/")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assertRedirects(client.post("/accounts/password/", data), "/", fetch_redirect_response=False)
    assert only_message().subject == "Your Creekside password was changed"


def test_a_first_password_is_notified_too(client, cara):
    _, token = SigninLink.issue(cara)
    client.post(f"/accounts/link/{token}/")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post("/accounts/password/", data)
    assert only_message().to == ["cara@example.test"]


def test_the_new_password_stands_when_the_notice_cannot_be_sent(alice, patient, mail_server_down):
    data = {
        "old_password": ALICE_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    assertRedirects(alice.post("/accounts/password/", data), "/", fetch_redirect_response=False)
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)
