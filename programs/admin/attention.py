"""Needs attention and the patient hub: the logs turned into signals, in a fixed number of queries.

The rules are pure functions in programs.insight; this module only loads the facts they need
(a few queries whatever the number of patients or logs) and pairs the answers with the rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Prefetch, Q

from programs import insight, schedule
from programs.models import ExerciseSession, Prescription, Program, SetLog, SignalReview

WINDOW_DAYS = 28  # signals look back four weeks
PROGRESSION_DAYS = 14  # suggestions read the last one to two weeks (docs/clinical.md §9.8)
SESSION_FIELDS = ["id", "program_id", "date", "week", "finished", "pain_during", "effort"]
SET_FIELDS = [
    *("id", "session_id", "position", "prescription_id", "set_number", "side", "status"),
    *("pain", "pain_ceiling", "skip_reason", "target_effort"),
]


@dataclass
class PatientSignals:
    program: Program
    signals: list = field(default_factory=list)

    @property
    def patient(self):
        return self.program.patient

    @property
    def urgency(self):
        return min(s.urgency for s in self.signals)


def _session_facts(rows):
    return insight.SessionFacts(
        id=rows["id"],
        date=rows["date"],
        week=rows["week"],
        finished=rows["finished"] is not None,
        pain_during=rows["pain_during"],
        effort=rows["effort"],
        next_morning_pain=rows["next_morning_pain"],
        ceiling=rows["ceiling"] if rows["ceiling"] is not None else 5,
    )


def _set_facts(row):
    return insight.SetFacts(
        **{name: row[name] for name in SET_FIELDS},
        exercise=row["exercise__name"],
    )


def load_logs(programs, since, sets_filter=None):
    """Sessions and sets since a day, grouped by program id: two queries."""
    ids = [p.pk for p in programs]
    sessions = defaultdict(list)
    rows = (
        ExerciseSession.objects.filter(program_id__in=ids, date__gte=since)
        .annotate(ceiling=Max("set_logs__pain_ceiling"))
        .values(*SESSION_FIELDS, "next_morning_pain", "ceiling")
    )
    for row in rows:
        sessions[row["program_id"]].append(_session_facts(row))
    logs = SetLog.objects.filter(session__program_id__in=ids, session__date__gte=since).exclude(
        status=SetLog.Status.PENDING
    )
    if sets_filter is not None:
        logs = logs.filter(sets_filter)
    sets = defaultdict(list)
    for row in logs.values(*SET_FIELDS, "exercise__name", "session__program_id"):
        sets[row["session__program_id"]].append(_set_facts(row))
    return sessions, sets


def _flagged(row):
    """The sets that can raise a signal (as the FLAGGED query filter)."""
    return row.status == SetLog.Status.STOPPED or (
        row.status == SetLog.Status.SKIPPED and row.skip_reason == insight.TOO_HARD
    )


FLAGGED = Q(status=SetLog.Status.STOPPED) | Q(
    status=SetLog.Status.SKIPPED, skip_reason=insight.TOO_HARD
)


def window_logs(programs, today):
    """load_logs for the signals' window, which holds the suggestions' too (the patient hub)."""
    return load_logs(programs, today - datetime.timedelta(days=WINDOW_DAYS))


def signals_for(programs, today, logs=None):
    """Open (unreviewed) signals per program, most urgent first; five queries in all.

    logs: window_logs(programs, today), already loaded (then three queries fewer).
    """
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    if logs is None:
        sessions, sets = load_logs(programs, since, FLAGGED)
    else:
        sessions = logs[0]
        sets = defaultdict(list, {k: [r for r in v if _flagged(r)] for k, v in logs[1].items()})
    reviewed = set(
        SignalReview.objects.filter(
            patient_id__in=[p.patient_id for p in programs], day__gte=since
        ).values_list("patient_id", "key")
    )
    result = []
    for program in programs:
        plan = program.plan
        current = schedule.week_of(plan, today) or (program.weeks or 0) + 1
        found = insight.signals(sessions[program.pk], sets[program.pk], current)
        absent = insight.absent_signal(
            plan,
            [p.rx for p in program.prescriptions.all()],
            program.last_session_day,
            today,
            days=settings.ATTENTION_ABSENT_DAYS,
            program_key=str(program.pk),
        )
        found += [absent] if absent else []
        open_ = [s for s in found if (program.patient_id, s.key) not in reviewed]
        if open_:
            open_.sort(key=lambda s: (s.urgency, -s.day.toordinal(), s.key))
            result.append(PatientSignals(program, open_))
    return result


def watched_programs(queryset):
    """The running or paused plans of these patients, with what the signals need: two queries."""
    rows = Prescription.objects.select_related("exercise")
    return list(
        queryset.filter(status__in=[Program.Status.ACTIVE, Program.Status.PAUSED])
        .select_related("patient")
        .annotate(
            last_session_day=Max("sessions__date", filter=Q(sessions__finished__isnull=False))
        )
        .prefetch_related(Prefetch("prescriptions", rows))
    )


def needs_attention(user, today):
    """The therapist's patients with open signals, the most urgent first."""
    programs = watched_programs(Program.objects.for_therapist(user))
    rows = signals_for(programs, today)
    return sorted(rows, key=lambda r: (r.urgency, -r.signals[0].day.toordinal(), r.patient.name))


def suggestions_for(program, today, logs=None):
    """A progress, hold or regress suggestion per prescription in force this week.

    logs: window_logs([program, ...], today), already loaded; the last PROGRESSION_DAYS are read.
    """
    week = schedule.week_of(program.plan, today)
    if week is None:
        return []
    since = today - datetime.timedelta(days=PROGRESSION_DAYS)
    if logs is None:
        sessions, sets = load_logs([program], since)
    else:
        recent = [s for s in logs[0][program.pk] if s.date >= since]
        ids = {s.id for s in recent}
        sessions = {program.pk: recent}
        sets = {program.pk: [r for r in logs[1][program.pk] if r.session_id in ids]}
    current = [p for p in program.prescriptions.all() if p.applies_in(week)]
    result = []
    for p in schedule.in_order(p.rx for p in current):
        row = p.key
        suggestion = insight.suggest(row.pk, row.effort, sessions[program.pk], sets[program.pk])
        result.append((row, suggestion))
    return result
