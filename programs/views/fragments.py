"""Rendered parts of the session page, kept in the shared cache under a digest of their inputs.

The step card and the offline cards (every step still to do) are most of the session page's
time, and they are a pure function of rows the view has already loaded: the session's steps
and their exercises (every column, each language's text included), the active language and
the templates. The cache key is a digest of exactly those, so an edit to any of them is a new
key (never a stale card), and two app servers compute the same key for the same data. Under
CACHE_URL (Redis or the database: docs/operations.md) the servers share the entries.

The request's CSRF token is never stored: the card is rendered with a placeholder, replaced
on the way out by this request's token.
"""

import hashlib

from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from programs.page_cache import TOKEN, code_version, rendering

TIMEOUT = 24 * 3600


def row(obj):
    """A model instance's loaded values (no query for a deferred field), as comparable data."""
    return tuple(
        (name, value.name if isinstance(value, FieldFile) else value)
        for name, value in sorted(vars(obj).items())
        if not name.startswith("_")
    )


def render(request, template_name, context, inputs):
    """render_to_string, from the cache when these inputs were rendered before.

    context: a dict, or a function that makes it (called only when the cache has no entry).
    """
    key = hashlib.sha256(
        repr((template_name, get_language(), code_version(), inputs)).encode()
    ).hexdigest()
    key = f"fragment:{key}"
    html = cache.get(key)
    if html is None:
        context = context() if callable(context) else context
        html = render_to_string(template_name, {**context, "csrf_token": TOKEN}, request)
        cache.set(key, html, TIMEOUT)
    if rendering(request):  # the whole page is being kept: its token goes in on the way out
        return mark_safe(html)
    return mark_safe(html.replace(TOKEN, get_token(request)))
