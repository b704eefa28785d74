"""Whose pages the phone keeps offline (static/js/sw.js and static/js/offline-queue.js)."""

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_user(context):
    """A patient's opaque tag, or "" for staff and signed-out visitors (nothing is kept)."""
    user = context.get("user")
    if user is None or not user.is_authenticated or user.is_staff:
        return ""
    tag = salted_hmac("creekside.offline-user", str(user.pk), algorithm="sha256")
    return tag.hexdigest()[:24]
