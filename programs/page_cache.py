"""Patient pages from the shared cache, until the patient's data, the library or the clock moves.

Today, My plan, History and the session page run six to nine queries each; a patient opens them
again and again (back, a second tab, the phone waking up, the app shell refreshing) while
nothing they show has changed. A page is kept per account under what it was asked for (the
view, its arguments, the query string, htmx or not) and served from the cache while all three
of these still hold:

- the patient's **version** is the one the page was rendered under. Every write to what a
  patient page shows replaces it: a save or delete of the account, the patient, a plan, a
  prescription, a session, a logged set, an outcome request or measure, or reminder settings
  (signals, `connect()`), and the services' bulk updates, which send no signals, call
  `changed()` themselves. The version is replaced as the write happens and again when its
  transaction commits, so a page rendered from the state before the commit is never kept.
- the **library's** version is the same (any exercise saved or deleted replaces it).
- the **clock** has not reached the page's end: local midnight by default (a new day is a new
  Today), or earlier where the view says so (`valid_until`: the check-in becomes due).

Entries live at most `PATIENT_PAGE_SECONDS` (300 s) whatever happens, a bound on what a write
that bypassed both (a raw SQL fix in the database shell) can leave stale. The page is stored
with placeholders for the CSRF token and the CSP nonce, and every answer gets this request's
own. A read from the cache is still a read of patient data: `patient_page` audits it as before.
Pages that carry a flash message, or answer anything but 200, are neither served nor stored.
"""

import datetime
import functools
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_delete
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from creekside.language import use_language

TOKEN = "csrf-token-placeholder-7d1f0c"
NONCE = "csp-nonce-placeholder-4b9e21"
PREFIX = "patient-page"
LIBRARY = f"{PREFIX}:library"
VERSION_SECONDS = 30 * 24 * 3600
RENDERING = "_patient_page_rendering"  # on the request: the view renders for the cache
UNTIL = "_patient_page_until"  # on the request: when the page being rendered goes out of date

# Where each model that a patient page shows keeps its patient's account (a path of fields).
ACCOUNT_OF = {
    "programs.Patient": "user_id",
    "programs.Program": "patient__user_id",
    "programs.Prescription": "program__patient__user_id",
    "programs.ExerciseSession": "program__patient__user_id",
    "programs.SetLog": "session__program__patient__user_id",
    "programs.OutcomeRequest": "patient__user_id",
    "programs.OutcomeMeasure": "patient__user_id",
    "programs.ReminderSettings": "patient__user_id",
}


def _version_key(user_id):
    return f"{PREFIX}:v:{user_id}"


def changed(user_id):
    """This account's patient pages are out of date: now, and again when the write commits."""
    if user_id is None:
        return
    _replace(_version_key(user_id))


def library_changed():
    _replace(LIBRARY)


def _replace(key):
    cache.set(key, secrets.token_hex(8), VERSION_SECONDS)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, secrets.token_hex(8), VERSION_SECONDS))


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


def cached(view):
    """Serve a patient page (signed in, not staff: inside `patient_page`) from the cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or len(request._messages):
            return view(request, *args, **kwargs)
        user_id = request.user.pk
        key = _page_key(user_id, view.__name__, request, args, kwargs)
        keys = [_version_key(user_id), LIBRARY, key]
        found = cache.get_many(keys)
        entry = found.get(key)
        versions = (found.get(keys[0]), found.get(LIBRARY))
        now = timezone.now().timestamp()
        if (
            entry
            and None not in versions
            and entry["versions"] == versions
            and now < entry["until"]
        ):
            use_language(request, entry["language"])
            return _answer(request, entry["content"], entry["headers"])
        versions = _current(keys[0], versions[0]), _current(LIBRARY, versions[1])
        setattr(request, RENDERING, True)
        setattr(request, UNTIL, _next_midnight())
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, RENDERING, False)
        if response.status_code != 200 or response.streaming:
            return response
        content = response.content.decode()
        if not request._messages.used:
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            entry = {
                "versions": versions,
                "until": getattr(request, UNTIL).timestamp(),
                "language": request.LANGUAGE_CODE,
                "content": content,
                "headers": headers,
            }
            cache.set(key, entry, settings.PATIENT_PAGE_SECONDS)
        response.content = _personal(request, content)
        return response

    return wrapper


def _current(key, version):
    """The version now, made before the page is rendered (so a write during it still counts)."""
    if version is None:
        cache.add(key, secrets.token_hex(8), VERSION_SECONDS)
        version = cache.get(key)
    return version


def _page_key(user_id, name, request, args, kwargs):
    asked = (name, args, sorted(kwargs.items()), sorted(request.GET.lists()))
    asked += (bool(request.htmx), bool(request.htmx and request.htmx.history_restore_request))
    # Whose: an account id is reused by a database rebuilt under a shared cache (a restored
    # backup, a benchmark's dataset), so the database and the account's creation say which.
    whose = (settings.DATABASES["default"]["NAME"], request.user.date_joined.isoformat())
    digest = hashlib.sha256(repr((asked, whose, code_version())).encode()).hexdigest()[:32]
    return f"{PREFIX}:p:{user_id}:{digest}"


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


@functools.cache
def _code_version():
    """The templates and translations every page is made of (read once per process)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for path in sorted([*base.glob("templates/**/*.html"), *base.glob("locale/*/*/*.mo")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_version():
    if settings.DEBUG:  # templates edited while runserver runs
        _code_version.cache_clear()
    return _code_version()


def account_of(instance, path):
    """The account id at the end of `path`, from related rows already loaded, else one query."""
    obj = instance
    parts = path.split("__")
    for i, part in enumerate(parts[:-1]):
        field = obj._meta.get_field(part)
        if field.is_cached(obj):
            obj = getattr(obj, part)
            if obj is None:  # a template plan has no patient
                return None
            continue
        fk = getattr(obj, field.attname)
        if fk is None:
            return None
        rest = "__".join(parts[i + 1 :])
        return field.related_model._base_manager.filter(pk=fk).values_list(rest, flat=True).first()
    return getattr(obj, parts[-1])


def _on_write(sender, instance, **kwargs):
    changed(account_of(instance, ACCOUNT_OF[sender._meta.label]))


def _on_account_write(sender, instance, **kwargs):
    changed(instance.pk)


def _on_library_write(sender, **kwargs):
    library_changed()


def connect():
    from django.apps import apps

    for label in ACCOUNT_OF:
        model = apps.get_model(label)
        for signal in (post_save, pre_delete):  # pre_delete: the rows above it are still there
            signal.connect(_on_write, sender=model, dispatch_uid=f"page_cache.{label}.{id(signal)}")
    for signal in (post_save, pre_delete):
        uid = f"page_cache.account.{id(signal)}"
        signal.connect(_on_account_write, sender=get_user_model(), dispatch_uid=uid)
        uid = f"page_cache.library.{id(signal)}"
        signal.connect(_on_library_write, sender="exercises.Exercise", dispatch_uid=uid)
