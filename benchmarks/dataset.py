"""A clinic-sized dataset for the benchmarks, built fast with bulk_create.

build(): therapists (one with an authenticator app, for the admin), patients each on a plan
copied from the protocol templates with months of logged sessions, a patient with a year of
logs ("the year patient") and a plan of ten prescriptions (the admin program page).
prepare_run(): what every run needs fresh: today's pending session for the year patient,
pending steps for the "log a set" POSTs, and signed-in sessions.

Run inside a configured Django (benchmarks.harness.setup_django).
"""

import datetime
import random
import time

YEAR_EMAIL = "year@bench.test"
TEN_EMAIL = "ten@bench.test"
THERAPIST_EMAIL = "therapist0@bench.test"
LOGGERS = range(200, 300)  # patients whose pending steps the "log a set" POSTs log
TEN_EXERCISES = [
    "nordic-hamstring-curl",
    "eccentric-bridge-walkout",
    "bridge-heel-slide",
    "slider-hamstring-curl",
    "double-leg-bridge",
    "single-leg-bridge",
    "standing-hamstring-curl",
    "single-leg-rdl",
    "slow-lowering-deadlift",
    "seated-slump-slider",
]
CHUNK = 50  # programs whose sessions and sets are built and inserted together


def build(patients=1000, months=3, year_days=365, seed=15, log=print):
    """Migrate, load the library and protocols, and fill the clinic. Returns a summary dict."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db.models import Prefetch
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from exercises.models import Exercise
    from programs.models import Patient, Prescription, Program

    began = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "hamstring_exercises", "protocols", verbosity=0)
    User = get_user_model()
    rng = random.Random(seed)
    today = timezone.localdate()
    exercises = {e.slug: e for e in Exercise.objects.all()}
    rows = Prefetch("prescriptions", Prescription.objects.select_related("exercise"))
    templates = {t.slug: t for t in Program.objects.templates().prefetch_related(rows)}

    staff_hash = make_password("bench-therapist-password")
    therapists = User.objects.bulk_create(
        User(username=f"therapist{i}@bench.test", email=f"therapist{i}@bench.test",
             first_name=f"Therapist {i}", is_staff=True, password=staff_hash)
        for i in range(10)
    )  # fmt: skip
    Group.objects.get(name="Therapists").user_set.add(*therapists)
    TOTPDevice.objects.create(user=therapists[0], name="Benchmark phone", confirmed=True)

    emails = [YEAR_EMAIL, TEN_EMAIL, *(f"patient{i:04d}@bench.test" for i in range(2, patients))]
    no_password = make_password(None)
    users = User.objects.bulk_create(
        User(username=e, email=e, password=no_password) for e in emails
    )
    people = Patient.objects.bulk_create(
        Patient(name=f"Bench Patient {i:04d}", email=e, user=u,
                therapist=therapists[0] if i < 120 else therapists[1 + i % 9])
        for i, (e, u) in enumerate(zip(emails, users, strict=True))
    )  # fmt: skip

    plans = []
    for i, patient in enumerate(people):
        if i == 0:
            slug, start = "tight-hamstrings-starter", today - datetime.timedelta(days=year_days)
        else:
            slug = ["tight-hamstrings-starter", "nordic-petersen-2011", "askling-l-protocol-2013"][
                (i % 4) % 3
            ]
            start = today - datetime.timedelta(days=months * 30 + i % 21)
        template = templates[slug]
        program = Program(
            patient=patient, title=template.title, goal=template.goal, template=template,
            start_date=start, weeks=None, status=Program.Status.ACTIVE, status_since=start,
            pain_ceiling=template.pain_ceiling,
        )  # fmt: skip
        plans.append((program, template))
    Program.objects.bulk_create([p for p, _ in plans])

    prescriptions = []
    for i, (program, template) in enumerate(plans):
        if i == 1:
            program.title = "Ten-exercise plan"
            rows = _ten_rows(program, exercises)
        else:
            rows = [_copy_row(row, program, i) for row in template.prescriptions.all()]
        prescriptions += rows
        program.rows = rows
    Program.objects.filter(pk=plans[1][0].pk).update(title="Ten-exercise plan")
    Prescription.objects.bulk_create(prescriptions)
    log(f"  {len(people)} patients, {len(prescriptions)} prescriptions ({_since(began)})")

    yesterday = today - datetime.timedelta(days=1)
    totals = [0, 0]
    programs = [p for p, _ in plans]
    for first in range(0, len(programs), CHUNK):
        counts = _log_history(programs[first : first + CHUNK], yesterday, rng)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        if first % (CHUNK * 4) == 0:
            log(f"  sessions for {first + CHUNK} plans: {totals[0]} sessions, {totals[1]} sets"
                f" ({_since(began)})")  # fmt: skip
    return {"patients": len(people), "sessions": totals[0], "sets": totals[1]}


def _since(began):
    return f"{time.monotonic() - began:.0f} s"


def _copy_row(row, program, i):
    """A template row as a patient's row: a one-leg exercise gets a leg."""
    from creekside import dosing
    from programs.models import Prescription

    copy = Prescription(
        **{f.attname: getattr(row, f.attname) for f in Prescription._meta.concrete_fields}
    )
    copy.pk = copy.id = None
    copy.program = program
    copy.exercise = row.exercise
    if row.exercise.unilateral and row.side == Prescription.Side.BOTH:
        copy.side = Prescription.Side.LEFT if i % 2 else Prescription.Side.RIGHT
    copy.rep_targets, copy.dose_text = dosing.describe(copy, copy.weekday_list)
    return copy


def _ten_rows(program, exercises):
    """Ten prescriptions, as a therapist would write them in the admin (validated)."""
    from programs.models import Prescription

    rows = []
    for order, slug in enumerate(TEN_EXERCISES, start=1):
        exercise = exercises[slug]
        glide = exercise.kind == "nerve_glide"
        row = Prescription(
            program=program, exercise=exercise, order=order,
            sets=exercise.default_sets, reps=exercise.default_reps or "8",
            side="each" if exercise.unilateral else "both",
            tempo="" if glide else "3-0-1-0", effort=2 if glide else 5,
            frequency="daily" if glide else "per_week", frequency_count=1 if glide else 2,
            notes="Slow and controlled.", progression="Add a set when this feels 3/10.",
        )  # fmt: skip
        row.check_siblings = False
        row.full_clean(exclude=["program"])
        from creekside import dosing

        row.rep_targets, row.dose_text = dosing.describe(row, row.weekday_list)
        rows.append(row)
    return rows


def _log_history(programs, last_day, rng):
    """Every planned session from the plan's start to last_day: most done, a few missed."""
    from django.utils import timezone

    from programs import services
    from programs.models import ExerciseSession, SetLog

    sessions, plans = [], []
    for program in programs:
        for planned in program.planned_sessions(program.start_date, last_day, program.rows):
            if rng.random() < 0.12:  # a missed session
                continue
            started = timezone.make_aware(
                datetime.datetime.combine(planned.date, datetime.time(7 + 5 * planned.slot, 30))
            )
            session = ExerciseSession(
                program=program, date=planned.date, slot=planned.slot, week=planned.week,
                started=started, finished=started + datetime.timedelta(minutes=18),
                pain_during=rng.randint(0, 4), effort=rng.randint(3, 7),
            )  # fmt: skip
            if rng.random() < 0.6:
                session.next_morning_pain = rng.randint(0, 3)
                session.next_morning_at = started + datetime.timedelta(hours=14)
            sessions.append(session)
            plans.append(planned)
    ExerciseSession.objects.bulk_create(sessions, batch_size=2000)
    steps = []
    for session, planned in zip(sessions, plans, strict=True):
        for step in services._steps_for(session, planned):
            step.logged_at = session.started + datetime.timedelta(seconds=40 * step.position)
            if rng.random() < 0.04:
                step.status, step.skip_reason = SetLog.Status.SKIPPED, "No time"
            else:
                step.status = SetLog.Status.DONE
                step.load_used = step.target_load
                if step.is_hold:
                    step.seconds_done = step.target_seconds
                else:
                    step.reps_done = step.target_reps_high - rng.randint(0, 1)
            steps.append(step)
    SetLog.objects.bulk_create(steps, batch_size=5000)
    return len(sessions), len(steps)


# Per run ----------------------------------------------------------------------------------------


def today_session(patient):
    """The year patient's first session today, started, with every step still to do."""
    from django.utils import timezone

    from programs import services
    from programs.models import ExerciseSession, SetLog
    from programs.views.today import _sessions_today  # what the Start button starts

    program = patient.current_program()
    session = services.start_session(_sessions_today(program, timezone.localdate())[0])
    ExerciseSession.objects.filter(pk=session.pk).update(finished=None)
    session.set_logs.update(
        status=SetLog.Status.PENDING, reps_done=None, seconds_done=None, logged_at=None,
        load_used="", pain=None, skip_reason="",
    )  # fmt: skip
    return session


def pending_steps(count, patients):
    """At least count pending steps, in sessions started today in extra slots (101, 102, ...)
    of the given patients' plans, so every POST logs a step nobody logged before. Returns
    [(session pk, step pk, patient index)] in the order a patient would log them."""
    from django.db.models import Max
    from django.utils import timezone

    from programs import services
    from programs.models import ExerciseSession, PlannedItem, PlannedSession, SetLog

    today = timezone.localdate()
    programs = [p.current_program() for p in patients]
    for program in programs:
        program.rows = list(program.prescriptions.select_related("exercise"))
    top = ExerciseSession.objects.filter(program__in=programs, date=today).aggregate(m=Max("slot"))
    slot = max(top["m"] or 0, 100)
    made, sessions, owners = 0, [], []
    while made < count:
        slot += 1
        for index, program in enumerate(programs):
            week = program.week_of(today)
            items = [PlannedItem(p, week) for p in program.rows if p.applies_in(week)]
            planned = PlannedSession(program, today, slot, week, items)
            session = ExerciseSession(
                program=program, date=today, slot=slot, week=week, started=timezone.now()
            )
            session.planned = planned
            sessions.append(session)
            owners.append(index)
            made += sum(
                len(i.prescription.set_targets()) * len(i.prescription.sides) for i in items
            )
    ExerciseSession.objects.bulk_create(sessions)
    steps = []
    for session in sessions:
        steps += services._steps_for(session, session.planned)
    SetLog.objects.bulk_create(steps, batch_size=5000)
    owner_of = {s.pk: i for s, i in zip(sessions, owners, strict=True)}
    return [(s.session_id, s.pk, owner_of[s.session_id]) for s in steps]


def people():
    """(year patient, ten-prescription patient, bench therapist, its TOTP device, loggers)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from programs.models import Patient

    year = Patient.objects.select_related("user").get(email=YEAR_EMAIL)
    ten = Patient.objects.select_related("user").get(email=TEN_EMAIL)
    therapist = get_user_model().objects.get(username=THERAPIST_EMAIL)
    device = TOTPDevice.objects.get(user=therapist)
    loggers = list(
        Patient.objects.select_related("user").order_by("pk")[LOGGERS.start : LOGGERS.stop]
    )
    return year, ten, therapist, device, loggers
