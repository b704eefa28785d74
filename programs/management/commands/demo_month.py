"""A scripted month of logs for the demo therapist's patients: `seed_demo --month`.

Each patient is a story the attention list should tell (or, for Rosa, not tell). Not a command
of its own: the leading name keeps Django from listing it, and seed_demo imports it.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from programs import insight, services
from programs.models import ExerciseSession, Patient, Program, SetLog

TEMPLATE = "Tight hamstrings starter"
STORIES = [
    # name, email, what happens, the story in words
    ("Rosa Steady", "rosa@example.com", "steady", "every set done, pain 1-2: ready to progress"),
    ("Marco Stop", "marco@example.com", "stop", 'pressed "Stop: this hurts" yesterday at 6/10'),
    ("Lena Sore", "lena@example.com", "sore", "pain 7/10 last session, 6/10 next morning"),
    ("Omar Away", "omar@example.com", "away", "no session for 8 days"),
    ("Jia Hard", "jia@example.com", "hard", "three sets in a row skipped as too hard"),
    ("Pia Paused", "pia@example.com", "paused", "plan paused 10 days ago: never absent"),
]


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _log(planned, *, pain=2, effort=4, morning=1, stop=None, too_hard=False):
    """One session on its planned day, with its times on that day."""
    session = services.start_session(planned)
    if session.is_finished:
        return session
    day, when = planned.date, _at(planned.date, 9)
    steps = list(session.set_logs.select_related("exercise").order_by("position"))
    # The story happens on the strengthening exercise with the most sets, not on a glide.
    strong = [s for s in steps if s.exercise.kind != "nerve_glide"]
    target = max(
        {s.exercise_id for s in strong},
        key=lambda e: sum(s.exercise_id == e for s in strong),
        default=None,
    )
    story = [s.pk for s in steps if s.exercise_id == target]
    for step in steps:
        if step.status != SetLog.Status.PENDING and step.pk not in story:
            continue
        step.refresh_from_db(fields=["status"])
        if step.status != SetLog.Status.PENDING:
            continue
        if stop is not None and story and step.pk == story[0]:
            services.stop_exercise(session, step, stop, now=when)
        elif too_hard and step.pk in story[: insight.TOO_HARD_RUN]:
            services.skip_step(session, step.pk, insight.TOO_HARD, now=when)
        else:
            done = {"seconds_done": step.target_seconds} if step.is_hold else {}
            services.complete_step(
                session,
                step.pk,
                reps_done=None if step.is_hold else step.target_reps_high,
                now=when,
                **done,
            )
    ExerciseSession.objects.filter(pk=session.pk).update(started=_at(day, 9))
    session.refresh_from_db()
    services.finish_session(session, pain_during=pain, effort=effort, now=_at(day, 10))
    if morning is not None:
        services.save_next_morning_pain(
            session, morning, now=_at(day + datetime.timedelta(days=1), 8)
        )
    return session


def _story(program, kind, today):
    start = program.start_date
    past = program.planned_sessions(start, today - datetime.timedelta(days=1))
    if kind == "away":
        past = [p for p in past if p.date < today - datetime.timedelta(days=8)]
    if kind == "paused":
        past = [p for p in past if p.date < today - datetime.timedelta(days=10)]
    # The story's day: the last session with strengthening in it (some days are glides only).
    strong = [
        i for i, p in enumerate(past) if any(it.exercise.kind != "nerve_glide" for it in p.items)
    ]
    story_day = strong[-1] if strong else len(past) - 1
    for i, planned in enumerate(past):
        last = i == story_day
        fields = {"pain": 1, "effort": 4, "morning": 0}
        if kind == "stop" and last:
            fields |= {"stop": 6, "pain": 5, "morning": None}
        if kind == "sore" and last:
            fields |= {"pain": 7, "morning": 6}
        if kind == "hard" and last:
            fields |= {"too_hard": True, "effort": 8}
        _log(planned, **fields)
    if kind == "paused":
        program.change_status(Program.Status.PAUSED, today - datetime.timedelta(days=10))
        program.save()


@transaction.atomic
def seed_month(today):
    """Give the demo therapist six patients with a month of logs; return (name, story) pairs."""
    template = Program.objects.templates().get(title=TEMPLATE)
    demo = Patient.objects.select_related("therapist").get(email="sam@example.com")
    monday = today - datetime.timedelta(days=today.weekday() + 28)
    told = []
    for name, email, kind, words in STORIES:
        patient, created = Patient.objects.get_or_create(
            email=email, defaults={"name": name, "therapist": demo.therapist}
        )
        if created or not patient.programs.exists():
            program = services.copy_template(template, patient, monday)
            _story(program, kind, today)
        told.append((name, words))
    # The two sign-in demo patients (Sam, and Lucía in Spanish) did this week's sessions so far.
    for steady in Program.objects.filter(
        patient__email__in=["sam@example.com", "lucia@example.com"], status=Program.Status.ACTIVE
    ):
        if not SetLog.objects.filter(session__program=steady).exists():
            days = (steady.start_date, today - datetime.timedelta(days=1))
            for planned in steady.planned_sessions(*days):
                _log(planned, pain=2, effort=4, morning=1)
    return told
