"""Security notices to patients by email: short, plain and kind, and never a reason to fail."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


def has_password(patient):
    return patient.user is not None and patient.user.has_usable_password()


def link_issued(patient):
    """Tell a patient who has a password that the clinic made a sign-in link for them."""
    if not has_password(patient):  # a first link: the patient is there to receive it
        return False
    return _send(
        patient,
        "A sign-in link was made for your Creekside account",
        "registration/notice_link_issued.txt",
    )


def password_changed(patient):
    """Tell a patient their password was set or changed, in case it wasn't them."""
    return _send(
        patient,
        "Your Creekside password was changed",
        "registration/notice_password_changed.txt",
    )


def _send(patient, subject, template):
    context = {
        "patient": patient,
        "when": timezone.localtime(),
        "clinic": {"name": settings.CLINIC_NAME, "phone": settings.CLINIC_PHONE},
    }
    try:
        send_mail(subject, render_to_string(template, context), None, [patient.email])
    except OSError:  # SMTP down: what happened stands (the audit trail has it); say so in logs
        logger.warning("Could not send %s to patient %s", template, patient.pk, exc_info=True)
        return False
    return True
