"""Which kept pages are out of date: versions that every write to what they show replaces.

A kept page (programs/page_cache.py) is served only while the versions it was rendered under
are still the current ones, in the shared cache:

- the patient's, under their account (the patient's own pages) and under the patient (the
  therapist's admin pages, which exist before the patient has an account): replaced by a save or
  delete of the patient, their account, a plan, a prescription, a session, a logged set, an
  outcome request or measure, a signal review, reminder settings, a sign-in link, an email in
  the outbox or the calendar feed, and by a change of the care team; the services' bulk updates,
  which send no signals, call `changed()` themselves;
- the plan's, for the admin's program page (a template has no patient): a save or delete of
  the plan or one of its prescriptions, and of its patient (the page names them);
- the library's: any exercise saved or deleted;
- the staff's: any account saved (not a bare sign-in) or deleted, and any change of groups or
  permissions (who may see what, the therapists offered in the admin's lists, a therapist's
  name on a printout).

A version is replaced as the write happens and again when its transaction commits, so a page
rendered from the state before the commit is never kept under the new one.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

PREFIX = "patient-page"
LIBRARY = f"{PREFIX}:library"
STAFF = f"{PREFIX}:staff"
SECONDS = 30 * 24 * 3600  # a version nobody reads for a month is dropped: pages then miss

# Where each model that a page shows finds its patient (a path of fields; "" is the patient).
PATIENT_OF = {
    "programs.Patient": "",
    "programs.Program": "patient",
    "programs.Prescription": "program__patient",
    "programs.ExerciseSession": "program__patient",
    "programs.SetLog": "session__program__patient",
    "programs.OutcomeRequest": "patient",
    "programs.OutcomeMeasure": "patient",
    "programs.SignalReview": "patient",
    "programs.ReminderSettings": "patient",
    "programs.SigninLink": "patient",
    "programs.OutboxEmail": "patient",
    "programs.CalendarFeed": "patient",
}


def program_key(program_id):
    return f"{PREFIX}:v:g{program_id}"


def account_key(user_id):
    return f"{PREFIX}:v:u{user_id}"


def patient_key(patient_id):
    return f"{PREFIX}:v:p{patient_id}"


def changed(patient_id=None, user_id=None):
    """This patient's kept pages are out of date (either id may be None: not known, or none)."""
    keys = [patient_key(patient_id)] if patient_id is not None else []
    keys += [account_key(user_id)] if user_id is not None else []
    _replace(*keys)


def program_changed(program_id):
    if program_id is not None:
        _replace(program_key(program_id))


def _replace(*keys):
    """New versions for these keys now (one round trip) and again once the transaction commits
    (a page rendered meanwhile from the old rows must not stay kept)."""
    if not keys:
        return
    cache.set_many({key: secrets.token_hex(8) for key in keys}, SECONDS)
    if connection.in_atomic_block:
        transaction.on_commit(
            lambda: cache.set_many({key: secrets.token_hex(8) for key in keys}, SECONDS)
        )


def owner_of(instance, path):
    """(patient id, account id) at the end of `path`: from rows already loaded, else one query."""
    obj = instance
    parts = path.split("__") if path else []
    for i, part in enumerate(parts):
        field = obj._meta.get_field(part)
        if field.is_cached(obj):
            obj = getattr(obj, part)
            if obj is None:  # a template plan has no patient
                return None, None
            continue
        fk = getattr(obj, field.attname)
        if fk is None:
            return None, None
        rest = "__".join(parts[i + 1 :])
        names = (f"{rest}__pk", f"{rest}__user_id") if rest else ("pk", "user_id")
        row = field.related_model._base_manager.filter(pk=fk).values_list(*names).first()
        return row or (None, None)
    return obj.pk, obj.user_id


def _on_write(sender, instance, raw=False, **kwargs):
    changed(*owner_of(instance, PATIENT_OF[sender._meta.label]))
    label = sender._meta.label
    if label == "programs.Program":
        program_changed(instance.pk)
    elif label == "programs.Prescription":
        program_changed(instance.program_id)
    elif label == "programs.Patient":  # the program pages name the patient (and who sees it)
        _programs_changed(instance.pk)


def _programs_changed(patient_id):
    from programs.models import Program

    for pk in Program._base_manager.filter(patient_id=patient_id).values_list("pk", flat=True):
        program_changed(pk)


def _on_account_write(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in: no page shows when
    from programs.models import Patient

    patient = Patient._base_manager.filter(user_id=instance.pk).values_list("pk", flat=True)
    changed(patient.first(), instance.pk)
    _replace(STAFF)


def _on_care_team(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:  # patient.care_team.add(...)
        changed(instance.pk, instance.user_id)
        _programs_changed(instance.pk)
    elif pk_set:  # therapist.care_patients.add(...): those patients
        for pk in pk_set:
            changed(pk)
            _programs_changed(pk)
    else:  # a therapist taken off every team: nobody knows whose, so every staff page
        _replace(STAFF)


def _on_staff(sender, action=None, **kwargs):
    if action is None or action.startswith("post_"):
        _replace(STAFF)


def _on_library(sender, **kwargs):
    _replace(LIBRARY)


def connect():
    from django.apps import apps

    from programs.models import Patient

    user = get_user_model()
    for signal in (post_save, pre_delete):  # pre_delete: the rows above it are still there
        for label in PATIENT_OF:
            uid = f"page_versions.{label}.{id(signal)}"
            signal.connect(_on_write, sender=apps.get_model(label), dispatch_uid=uid)
        uid = f"page_versions.account.{id(signal)}"
        signal.connect(_on_account_write, sender=user, dispatch_uid=uid)
        signal.connect(_on_staff, sender=Group, dispatch_uid=f"page_versions.group.{id(signal)}")
        uid = f"page_versions.library.{id(signal)}"
        signal.connect(_on_library, sender="exercises.Exercise", dispatch_uid=uid)
    m2m_changed.connect(
        _on_care_team, sender=Patient.care_team.through, dispatch_uid="page_versions.care_team"
    )
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        uid = f"page_versions.staff.{through._meta.label}"
        m2m_changed.connect(_on_staff, sender=through, dispatch_uid=uid)
