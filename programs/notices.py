"""Security notices to patients by email: short, plain and kind, and never a reason to fail."""

import uuid

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from programs.models import OutboxEmail
from programs.tasks import patient_locale, queue_email


def has_password(patient):
    return patient.user is not None and patient.user.has_usable_password()


def link_issued(patient):
    """Tell a patient who has a password that the clinic made a sign-in link for them."""
    if not has_password(patient):  # a first link: the patient is there to receive it
        return False
    return _send(
        patient,
        gettext_noop("A sign-in link was made for your Creekside account"),
        "notice_link_issued",
    )


def password_changed(patient):
    """Tell a patient their password was set or changed, in case it wasn't them."""
    return _send(
        patient, gettext_noop("Your Creekside password was changed"), "notice_password_changed"
    )


def _send(patient, subject, name):
    """Queue the notice: no request waits on the mail server or fails when it is down."""
    with patient_locale(patient):
        context = {
            "patient": patient,
            "when": timezone.now(),  # shown in the patient's time zone
            "clinic": {"name": settings.CLINIC_NAME, "phone": settings.CLINIC_PHONE},
        }
        body = render_to_string(f"registration/{name}.txt", context)
        subject = gettext(subject)
    key = f"notice:{name}:{patient.pk}:{uuid.uuid4().hex}"
    queue_email(key, OutboxEmail.Kind.NOTICE, patient.email, subject, body, patient=patient)
    return True
