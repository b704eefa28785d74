"""The clinic's name and phone, for every template (stop screens, the sign-in card)."""

import re

from django.conf import settings


def tel_href(phone):
    """'tel:+15550100' from '+1 555 0100': digits and a leading plus only."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


def clinic(request):
    return {
        "clinic": {
            "name": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "tel": tel_href(settings.CLINIC_PHONE),
        }
    }
