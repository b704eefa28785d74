from django import template
from django.utils import timezone

from programs.admin.attention import needs_attention

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_attention_rows(context):
    """The signed-in therapist's patients with open signals, or None for users without patients."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("programs.view_patient"):
        return None
    return needs_attention(user, timezone.localdate())
