"""Multi-model writes, each in one transaction."""

import datetime
import secrets
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from programs import page_versions
from programs.models import ExerciseSession, Patient, Prescription, Program, SetLog, SigninLink


def copy_template(template, patient, start_date, status=Program.Status.ACTIVE):
    """Start a new plan for patient from a protocol template: an independent copy.

    An active copy replaces the patient's current active plan, which is completed today.
    """
    if not template.is_template:
        raise ValueError("Only a protocol template (a program with no patient) can be copied.")
    today = timezone.localdate()
    with transaction.atomic():
        # One start at a time per patient: a second waits here, then finds (and completes) the
        # plan the first made, so starts at the same moment never clash on the one active plan.
        Patient.objects.select_for_update().get(pk=patient.pk)
        if status == Program.Status.ACTIVE:
            for current in patient.programs.select_for_update().filter(status=status):
                current.change_status(Program.Status.COMPLETED, today)
                current.save(update_fields=["status", "status_since", "paused_periods"])
        # Copying by clearing the pk keeps every dose field, including ones added later.
        program = Program.objects.get(pk=template.pk)
        program.pk = None
        program._state.adding = True
        program.patient = patient
        program.slug = None
        program.paused_periods = []
        program.template = template
        program.start_date = start_date
        program.status = status
        program.status_since = today
        program.created = timezone.now()
        program.save()
        prescriptions = list(template.prescriptions.all())
        for prescription in prescriptions:
            prescription.pk = None
            prescription._state.adding = True
            prescription.program = program
        Prescription.objects.bulk_create(prescriptions)
    return program


def apply_progression(prescription, *, from_week, **dose):
    """Give a prescription a new dose from a program week on: the row ends, a new one starts.

    Earlier weeks and every log keep the dose they had. A row that only starts at or after
    from_week has no past yet, so it takes the new dose itself. Returns the row with the new dose.
    """
    with transaction.atomic():
        row = Prescription.objects.select_for_update().select_related("program", "exercise")
        row = row.get(pk=prescription.pk)
        weeks = row.program.weeks
        if weeks and from_week > weeks:
            raise ValidationError(
                "The plan ends in week %(weeks)d: a new dose can't start in week %(week)d.",
                code="after_the_plan",
                params={"weeks": weeks, "week": from_week},
            )
        if row.week_to is not None and from_week > row.week_to:
            raise ValidationError(
                "This row ends in week %(last)d; change the row that runs in week %(week)d.",
                code="after_the_row",
                params={"last": row.week_to, "week": from_week},
            )
        if from_week > row.week_from:
            ended = Prescription.objects.get(pk=row.pk)
            ended.week_to = from_week - 1
            ended.full_clean()
            ended.save()
            row.pk = None
            row._state.adding = True
            row.week_from = from_week
        for name, value in dose.items():
            setattr(row, name, value)
        if not row.reps:
            row.reps = ""
        row.full_clean()
        row.save()
    return row


# Patient sessions ------------------------------------------------------------------------

STEP_FIELDS_MAX_DOSE = 200  # SetLog.dose_text max_length
ENDED_EARLY = "Session ended early"


def _steps_for(session, planned):
    """Build one pending SetLog per set and side, with the target frozen."""
    steps = []
    for item in planned.items:
        prescription = item.prescription
        dose = prescription.dose_text[:STEP_FIELDS_MAX_DOSE]
        targets = prescription.set_targets()  # as parsed when the row was saved
        for number, target in enumerate(targets, start=1):
            for side in prescription.sides:
                steps.append(
                    SetLog(
                        session=session,
                        position=len(steps) + 1,
                        prescription=prescription,
                        exercise=prescription.exercise,
                        set_number=number,
                        sets_total=len(targets),
                        side=side,
                        target_reps_low=target[0] if target else None,
                        target_reps_high=target[1] if target else None,
                        target_seconds=prescription.hold_seconds,
                        target_tempo=prescription.tempo,
                        target_load=prescription.load_display[:80],
                        target_effort=prescription.effort,
                        pain_ceiling=prescription.ceiling,
                        rest_seconds=prescription.rest_seconds,
                        dose_text=dose,
                    )
                )
    return steps


def start_session(planned):
    """Return the ExerciseSession for a PlannedSession, creating it and its steps on first start."""
    with transaction.atomic():
        session, created = ExerciseSession.objects.get_or_create(
            program=planned.program,
            date=planned.date,
            slot=planned.slot,
            defaults={"week": planned.week, "started": timezone.now()},
        )
        if created:
            SetLog.objects.bulk_create(_steps_for(session, planned))
    return session


def _changed(session, rows):
    """Bulk updates send no signals: the patient's kept pages are told here (page_versions)."""
    if rows:
        page_versions.changed(*page_versions.owner_of(session, "program__patient"))
    return rows


def _log_pending(session, step_pk, client_id, step=None, **fields):
    """Log a pending step; 0 when it was logged already (by this action, or another device).

    client_id is the phone's id for the action (static/js/session-offline.js), stored once.
    step: the step's loaded row, given the same values once they are stored.
    """
    steps = SetLog.objects.filter(pk=step_pk, session=session, status=SetLog.Status.PENDING)
    if client_id is None:
        logged = _changed(session, steps.update(**fields))
    else:
        fields["client_id"] = client_id
        try:
            with transaction.atomic():
                logged = _changed(session, steps.update(**fields))
        except IntegrityError:
            if SetLog.objects.filter(client_id=client_id).exists():
                return 0  # the same action, already applied to another set: a bad replay
            raise
    if logged and step is not None:
        for name, value in fields.items():
            setattr(step, name, value)
    return logged


def complete_step(
    session,
    step_pk,
    *,
    reps_done=None,
    seconds_done=None,
    load_used="",
    now=None,
    client_id=None,
    step=None,
):
    """Log a pending step as done; False when it was already logged (a repeated submission).

    step: the step's row as loaded, updated to match when the log is stored.
    """
    return bool(
        _log_pending(
            session,
            step_pk,
            client_id,
            step,
            status=SetLog.Status.DONE,
            reps_done=reps_done,
            seconds_done=seconds_done,
            load_used=load_used,
            logged_at=now or timezone.now(),
        )
    )


def skip_step(session, step_pk, reason, now=None, client_id=None, step=None):
    """Mark a pending step skipped with the patient's reason (step: as in complete_step)."""
    return bool(
        _log_pending(
            session,
            step_pk,
            client_id,
            step,
            status=SetLog.Status.SKIPPED,
            skip_reason=reason[:200],
            logged_at=now or timezone.now(),
        )
    )


STOPPED_IT_HURT = "Stopped: it hurt"
STOPPED_FOR_TODAY = "Stopped for today"


def stop_exercise(session, step, pain, now=None, client_id=None):
    """Record one "Stop: this hurts" on this set and leg; the rest of the exercise is not done.

    Returns False when the step was already logged (a repeated submission).
    """
    now = now or timezone.now()
    with transaction.atomic():
        stopped = _log_pending(
            session, step.pk, client_id, status=SetLog.Status.STOPPED, pain=pain, logged_at=now
        )
        if stopped:
            SetLog.objects.filter(
                session=session, exercise_id=step.exercise_id, status=SetLog.Status.PENDING
            ).update(status=SetLog.Status.SKIPPED, skip_reason=STOPPED_IT_HURT, logged_at=now)
    return bool(stopped)


def stop_for_today(session, now=None):
    """End the exercises for today: every step left is skipped; pain and effort still follow."""
    skipped = SetLog.objects.filter(session=session, status=SetLog.Status.PENDING).update(
        status=SetLog.Status.SKIPPED, skip_reason=STOPPED_FOR_TODAY, logged_at=now or timezone.now()
    )
    return _changed(session, skipped)


def finish_session(session, *, pain_during, effort, note="", now=None, client_id=None):
    """Finish a session once: rate it, and mark any steps left as skipped.

    client_id is the phone's id for "Finish" (as in _log_pending): a replay finishes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        finished = ExerciseSession.objects.filter(pk=session.pk, finished__isnull=True).update(
            finished=max(now, session.started),
            pain_during=pain_during,
            effort=effort,
            note=note,
            client_id=client_id,
        )
        if finished:
            session.set_logs.filter(status=SetLog.Status.PENDING).update(
                status=SetLog.Status.SKIPPED, skip_reason=ENDED_EARLY, logged_at=now
            )
        _changed(session, finished)
    return bool(finished)


def save_next_morning_pain(session, pain, now=None):
    """Record the next-morning pain once."""
    saved = ExerciseSession.objects.filter(
        pk=session.pk, finished__isnull=False, next_morning_pain__isnull=True
    ).update(next_morning_pain=pain, next_morning_at=now or timezone.now())
    return bool(_changed(session, saved))


# Sign-in links ---------------------------------------------------------------------------


def email_signin_link(email, send, now=None):
    """Issue a sign-in link for the patient with this email and send(patient, link, token) it.

    At most SIGNIN_LINK_EMAILS_PER_HOUR an hour: counted with the patient's row locked, so
    requests at the same moment can't all pass the count. send runs inside the transaction and
    queues the email in the outbox (programs/tasks.py), so the link and its email stand or fall
    together and the request never waits on the mail server.
    An unknown email runs the same queries and makes a token too, so its answer takes as long.
    Returns whether a link was sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        patient = Patient.objects.select_for_update().filter(email=email).first()
        recent = SigninLink.objects.filter(
            patient=patient, created__gte=now - datetime.timedelta(hours=1), created_by=None
        ).count()
        if patient is None or recent >= settings.SIGNIN_LINK_EMAILS_PER_HOUR:
            SigninLink.hash_token(secrets.token_urlsafe(32))
            return False
        link, token = SigninLink.issue(patient)
        send(patient, link, token)
    return True


class Redemption(NamedTuple):
    """A sign-in link's outcome: the user, or why not: "unknown", "used", "expired", "account"."""

    user: object = None
    refused: str = ""


def link_refusal(link, now=None):
    """Why link can't be used ("unknown", "used" or "expired"), or "" when it can."""
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires <= (now or timezone.now()):
        return "expired"
    return ""


def redeem_signin_link(token, now=None):
    """Use a sign-in link once; "account" means the link is fine but its patient can't sign in."""
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            SigninLink.objects.select_for_update()
            .filter(token_hash=SigninLink.hash_token(token))
            .first()
        )
        refused = link_refusal(link, now)
        if refused:
            return Redemption(refused=refused)
        patient = Patient.objects.select_for_update().get(pk=link.patient_id)
        user = patient.user or _user_for(patient)
        if user is None or not user.is_active:
            return Redemption(refused="account")
        if patient.user_id is None:
            patient.user = user
            patient.save(update_fields=["user"])
        link.used_at = now
        link.save(update_fields=["used_at"])
        # One sign-in ends every other open link: a card or email left lying about is dead.
        patient.signin_links.filter(used_at__isnull=True, expires__gt=now, created__lt=now).update(
            expires=now
        )
    return Redemption(user=user)


def _user_for(patient):
    """A patient's first sign-in: a User named by their email, with no password yet."""
    User = get_user_model()
    user = User.objects.filter(username=patient.email).first()
    if user is None:
        user = User(username=patient.email, email=patient.email)
        user.set_unusable_password()
        user.save()
        return user
    # Never hand a staff account or another patient's account to a link.
    if user.is_staff or Patient.objects.filter(user=user).exists():
        return None
    return user
