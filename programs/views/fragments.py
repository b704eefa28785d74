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


def _key(template_name, inputs):
    digest = repr((template_name, get_language(), code_version(), inputs)).encode()
    return f"fragment:{hashlib.sha256(digest).hexdigest()}"


def _render(request, template_name, context):
    context = context() if callable(context) else context
    return render_to_string(template_name, {**context, "csrf_token": TOKEN}, request)


def raw(request, template_name, context, inputs):
    """The fragment's HTML with the token placeholder in it: for a fragment inside another.

    context: a dict, or a function that makes it (called only when the cache has no entry).
    """
    key = _key(template_name, inputs)
    html = cache.get(key)
    if html is None:
        html = _render(request, template_name, context)
        cache.set(key, html, TIMEOUT)
    return html


def raw_many(request, template_name, parts):
    """raw() for several fragments of one template, with one cache read and one write.

    parts: [(context, inputs)]; returns their HTML in the same order.
    """
    keys = [_key(template_name, inputs) for _context, inputs in parts]
    found = cache.get_many(keys)
    made = {
        key: _render(request, template_name, context)
        for key, (context, _inputs) in zip(keys, parts, strict=True)
        if key not in found
    }
    if made:
        cache.set_many(made, TIMEOUT)
    return [found[key] if key in found else made[key] for key in keys]


def finish(request, html):
    """This request's token in place of the placeholder, unless the whole page is being kept
    (then it goes in on the way out, programs/page_cache.py)."""
    if rendering(request):
        return mark_safe(html)
    return mark_safe(html.replace(TOKEN, get_token(request)))


def render(request, template_name, context, inputs):
    """render_to_string, from the cache when these inputs were rendered before."""
    return finish(request, raw(request, template_name, context, inputs))
