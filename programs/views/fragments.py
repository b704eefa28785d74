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

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TOKEN = "csrf-token-placeholder-7d1f0c"
TIMEOUT = 24 * 3600
TEMPLATES = ("session_detail.html", "_scale.html", "_clinic_call.html")


def row(obj):
    """A model instance's loaded values (no query for a deferred field), as comparable data."""
    return tuple(
        (name, value.name if isinstance(value, FieldFile) else value)
        for name, value in sorted(vars(obj).items())
        if not name.startswith("_")
    )


@functools.cache
def _code_version():
    """The templates and translations the cards are made of (read once per process)."""
    digest = hashlib.sha256()
    folder = Path(settings.BASE_DIR) / "templates" / "programs"
    for name in TEMPLATES:
        digest.update((folder / name).read_bytes())
    for path in sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/*.mo")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_version():
    if settings.DEBUG:  # templates edited while runserver runs
        _code_version.cache_clear()
    return _code_version()


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
    return mark_safe(html.replace(TOKEN, get_token(request)))
