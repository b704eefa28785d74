"""The audit trail: who read or changed which patient's data, and every sign-in event.

Changes to patient data are recorded by django-auditlog (the models registered below); reads
and sign-in events are recorded here as its ACCESS entries, with what happened in
additional_data. Entries are append-only: read-only in the admin, kept when a user is deleted
(the actor's email is stored with each entry).
"""

import functools

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.encoding import smart_str


def register_models():
    """Track every change to patient data and to accounts (passwords masked)."""
    from programs import models as m

    auditlog.register(m.Patient, mask_fields=["notes"], m2m_fields={"care_team"})
    for model in (
        *(m.Program, m.Prescription, m.ExerciseSession, m.SignalReview),
        *(m.OutcomeMeasure, m.OutcomeRequest),
    ):
        auditlog.register(model)
    auditlog.register(m.SigninLink, exclude_fields=["token_hash"])
    auditlog.register(
        get_user_model(),
        include_fields=["password", "email", "is_active", "is_staff"],
        mask_fields=["password"],
    )


def _client_address(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


UNKNOWN = object()


def role_of(actor):
    """What reaches every patient, said on each entry: a clinic lead, a superuser, or None."""
    if actor is not None and actor.is_staff and actor.has_perm("programs.view_all_patients"):
        return "clinic lead" if not actor.is_superuser else "superuser"
    return None


def record(request, instance, event, actor=None, role=UNKNOWN, shown_as=None, **details):
    """One ACCESS entry: `event` says what happened (e.g. "viewed the patient page").

    role: the actor's role_of, and shown_as: the instance's name, when the caller knows them
    already (a page from the cache, with an instance that holds only its pk).
    """
    user = actor or getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    role = role_of(actor) if role is UNKNOWN else role
    if role:
        details.setdefault("role", role)
    return _insert(
        instance,
        shown_as,
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        remote_addr=_client_address(request),
        additional_data={"event": event, **details},
    )


def _insert(instance, shown_as=None, **fields):
    """The entry django-auditlog's log_create would write, as one INSERT and nothing more.

    Every patient page is a read to record, so this skips what log_create adds per call: no
    save() signals or serialisation (reads carry no data), the content type from Django's
    cache. The request's address, port and correlation id, which auditlog's middleware puts on
    an entry as it is saved, are copied the same way.
    """
    pk = instance.pk
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=pk,
        object_id=pk if isinstance(pk, int) else None,
        object_repr=shown_as if shown_as is not None else smart_str(instance),
        action=LogEntry.Action.ACCESS,
        changes=None,
        cid=get_cid(),
        **fields,
    )
    try:
        context = auditlog_value.get()
    except LookupError:  # outside a request (a task, the shell)
        context = {}
    for key, value in context.items():
        if key not in ("actor", "signal_duid") and hasattr(LogEntry, key):
            setattr(entry, key, value() if callable(value) else value)
    fields = _insert_fields()
    params = [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), params)
    return entry


@functools.cache
def _insert_fields():
    return [f for f in LogEntry._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql(vendor):
    """The ORM's INSERT for one entry, built once: every read of patient data writes one."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _insert_fields())
    marks = ", ".join(["%s"] * len(_insert_fields()))
    return f"INSERT INTO {quote(LogEntry._meta.db_table)} ({columns}) VALUES ({marks})"


def record_read(request, instance, what, role=UNKNOWN, shown_as=None):
    """A read of patient data: the page or export and whose record it was."""
    return record(request, instance, f"viewed {what}", role=role, shown_as=shown_as)


def _signed_in(sender, request, user, **kwargs):
    record(request, user, "signed in", actor=user)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, user, "signed out", actor=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    """A failed sign-in against a known account (unknown names are in django-axes' log)."""
    username = (credentials or {}).get("username") or ""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        _insert(
            user,
            remote_addr=_client_address(request),
            additional_data={"event": "failed sign-in"},
        )


def connect():
    register_models()
    user_logged_in.connect(_signed_in, dispatch_uid="creekside.audit.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="creekside.audit.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="creekside.audit.sign_in_failed")
