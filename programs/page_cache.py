"""Pages from the shared cache, until what they show, the library or the clock changes.

Today, My plan, History and the session page run six to nine queries each, the therapist's
patient page twenty; they are opened again and again (back, a second tab, the phone waking
up, the therapist going back and forth between patients) while nothing on them has changed. A
page is kept per account under what it was asked for (the view, its arguments, the query
string, htmx or not) and served from the cache while all of these still hold:

- the **versions** it was rendered under are still the current ones (programs/page_versions.py:
  the patient's, the library's and the staff's, replaced by every write to what pages show);
- the **clock** has not reached the page's end: local midnight by default (a new day is a new
  Today), or earlier where the view says so (`valid_until`: the check-in becomes due);
- it is younger than `PATIENT_PAGE_SECONDS` (300 s), a bound on what a write that bypassed the
  versions (a raw SQL fix in the database shell) can leave stale. 0 turns keeping off, and is
  the default without a cache every app server shares (settings.py).

The page is stored with placeholders for the CSRF token and the CSP nonce, and every answer
gets this request's own. A read from the cache is still a read of patient data: it is audited
as a rendered one is. Pages that carry a flash message, or answer anything but 200, are
neither served nor stored. A therapist's page from the cache skips the admin's access check
safely: it was rendered for this same account after that check passed, and anything the check
reads (the patient's therapist and care team, the account's groups and permissions) replaces
a version the page was kept under.
"""

import datetime
import functools
import hashlib
import secrets
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from creekside.language import use_language
from programs import page_versions as versions

TOKEN = "csrf-token-placeholder-7d1f0c"
NONCE = "csp-nonce-placeholder-4b9e21"
RENDERING = "_patient_page_rendering"  # on the request: the view renders for the cache
UNTIL = "_patient_page_until"  # on the request: when the page being rendered goes out of date
NOTE = "_patient_page_note"  # on the request: what a page from the cache needs to be audited


def valid_until(request, moment):
    """The page being rendered shows something that changes at `moment` (an aware datetime)."""
    if hasattr(request, UNTIL):
        setattr(request, UNTIL, min(getattr(request, UNTIL), moment))


def rendering(request):
    """True while a view renders its page for the cache (placeholders, not this request's)."""
    return getattr(request, RENDERING, False)


def placeholders(request):
    """Context processor: the CSRF token and CSP nonce as placeholders in a page to be kept."""
    if rendering(request):
        return {"csrf_token": TOKEN, "csp_nonce": NONCE}
    return {}


def enabled(request):
    return settings.PATIENT_PAGE_SECONDS > 0 and request.method == "GET" and not request._messages


def cached(view):
    """Serve a patient page (signed in, not staff: inside `patient_page`) from the cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled(request):
            return view(request, *args, **kwargs)
        user_id = request.user.pk
        key = page_key(request, view.__name__, args, kwargs)
        keys = [versions.account_key(user_id), versions.LIBRARY, versions.STAFF]
        entry, response = serve(request, key, keys, lambda: view(request, *args, **kwargs))
        if entry is not None:
            use_language(request, entry["language"])
        return response

    return wrapper


def serve(request, key, version_keys, render):
    """(the entry, its answer) from the cache, else (None, render()'s answer, kept if it may be).

    render: makes the page (a TemplateResponse is rendered here). NOTE, if the render sets it
    on the request, is kept with the page for the caller to audit a later read with.
    """
    found = cache.get_many([*version_keys, key])
    entry = found.get(key)
    now = timezone.now().timestamp()
    seen = tuple(found.get(k) for k in version_keys)
    if entry and None not in seen and entry["versions"] == seen and now < entry["until"]:
        return entry, _answer(request, entry["content"], entry["headers"])
    seen = tuple(_current(k, v) for k, v in zip(version_keys, seen, strict=True))
    setattr(request, RENDERING, True)
    setattr(request, UNTIL, _next_midnight())
    try:
        response = render()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        setattr(request, RENDERING, False)
    if response.status_code != 200 or response.streaming:
        return None, response
    content = response.content.decode()
    if not request._messages.used:
        entry = {
            "versions": seen,
            "until": getattr(request, UNTIL).timestamp(),
            "language": request.LANGUAGE_CODE,
            "content": content,
            "headers": [(k, v) for k, v in response.items() if k.lower() != "content-length"],
            "note": getattr(request, NOTE, None),
        }
        cache.set(key, entry, settings.PATIENT_PAGE_SECONDS)
    response.content = _personal(request, content)
    return None, response


def _current(key, version):
    """The version now, made before the page is rendered (so a write during it still counts)."""
    if version is None:
        cache.add(key, secrets.token_hex(8), versions.SECONDS)
        version = cache.get(key)
    return version


def page_key(request, name, args=(), kwargs=None):
    """The key of this account's page `name` as asked for (arguments, query string, htmx)."""
    kwargs = kwargs or {}
    asked = (name, args, sorted(kwargs.items()), sorted(request.GET.lists()))
    asked += (bool(request.htmx), bool(request.htmx and request.htmx.history_restore_request))
    # Whose: an account id is reused by a database rebuilt under a shared cache (a restored
    # backup, a benchmark's dataset), so the database and the account's creation say which.
    whose = (settings.DATABASES["default"]["NAME"], request.user.date_joined.isoformat())
    digest = hashlib.sha256(repr((asked, whose, code_version())).encode()).hexdigest()[:32]
    return f"{versions.PREFIX}:p:{request.user.pk}:{digest}"


def _answer(request, content, headers):
    response = HttpResponse(_personal(request, content))
    for name, value in headers:
        response[name] = value
    return response


def _personal(request, content):
    """This request's CSRF token and CSP nonce in place of the placeholders."""
    if TOKEN in content:
        content = content.replace(TOKEN, get_token(request))
    if NONCE in content:
        content = content.replace(NONCE, str(request._csp_nonce))
    return content


def _next_midnight():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))


def _code_files():
    """What every kept page and fragment is made of: templates, translations, the project's
    Python (a deploy that changes how a page is written never serves pages written before)."""
    base = Path(settings.BASE_DIR)
    globs = ["templates/**/*.html", "locale/*/*/*.mo"]
    globs += [f"{package}/**/*.py" for package in ("creekside", "exercises", "programs")]
    return sorted(path for pattern in globs for path in base.glob(pattern))


@functools.cache
def _code_version():
    """Django's version and the code's bytes, read once per process."""
    digest = hashlib.sha256(django.get_version().encode())
    for path in _code_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_version():
    if settings.DEBUG:  # files edited while runserver runs: their times, not every byte again
        stamps = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _code_files()]
        return hashlib.sha256(repr(stamps).encode()).hexdigest()[:16]
    return _code_version()
