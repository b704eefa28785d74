"""What the therapist should know: signals and progression suggestions, as pure rules.

Plain facts in (sessions and sets as the patient logged them), plain answers out, each with its
reason in words. The rules are docs/clinical.md §9; no queries and no ORM imports here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean

from programs import schedule

TOO_HARD = "Too hard"  # the skip reason a patient picks (programs.forms.SKIP_REASONS)
TOO_HARD_RUN = 3  # docs/clinical.md §9.6: three skipped sets in a row
ABSENT_DAYS = 4  # docs/clinical.md §9.5, the default of settings.ATTENTION_ABSENT_DAYS

# Urgency: lower is more urgent; the attention list sorts by it (docs/clinical.md §9).
URGENCY = {
    "stop": 1,
    "pain": 1,
    "morning": 2,
    "too_hard": 3,
    "pain_rising": 3,
    "effort_rising": 4,
    "absent": 5,
}
LABELS = {
    "stop": "Stop: this hurts",
    "pain": "Pain above the ceiling",
    "morning": "Next-morning pain not settled",
    "too_hard": "Sets skipped as too hard",
    "pain_rising": "Pain rising week on week",
    "effort_rising": "Effort rising week on week",
    "absent": "No session lately",
}


@dataclass(frozen=True)
class SessionFacts:
    id: int
    date: datetime.date
    week: int
    finished: bool
    pain_during: int | None = None
    effort: int | None = None
    next_morning_pain: int | None = None
    ceiling: int = 5  # the highest ceiling among its sets (docs/clinical.md §9.1)


@dataclass(frozen=True)
class SetFacts:
    id: int
    session_id: int
    position: int
    prescription_id: int | None
    exercise: str
    set_number: int
    side: str
    status: str
    pain: int | None = None
    pain_ceiling: int = 5
    skip_reason: str = ""
    target_effort: int | None = None


@dataclass(frozen=True)
class Signal:
    key: str  # stable across page loads: what an acknowledgement refers to
    kind: str
    day: datetime.date
    reason: str
    session_id: int | None = None

    @property
    def urgency(self):
        return URGENCY[self.kind]

    @property
    def label(self):
        return LABELS[self.kind]


def _side(side):
    return {"left": ", left leg", "right": ", right leg"}.get(side, "")


def _by_date(sessions):
    return sorted(sessions, key=lambda s: (s.date, s.id))


def stop_signals(sessions, sets):
    """One signal per press of "Stop: this hurts", on the set and leg it happened on."""
    days = {s.id: s.date for s in sessions}
    for log in sets:
        if log.status == "stopped" and log.session_id in days:
            above = log.pain is not None and log.pain > log.pain_ceiling
            yield Signal(
                key=f"stop:{log.id}",
                kind="stop",
                day=days[log.session_id],
                reason=(
                    f"Stopped {log.exercise} (set {log.set_number}{_side(log.side)}) "
                    f"with pain {log.pain}/10"
                    + (f", above the ceiling of {log.pain_ceiling}." if above else ".")
                ),
                session_id=log.session_id,
            )


def pain_signals(sessions):
    """Pain during a session above its ceiling; at the ceiling is allowed (§9.2)."""
    for s in sessions:
        if s.pain_during is not None and s.pain_during > s.ceiling:
            yield Signal(
                f"pain:{s.id}",
                "pain",
                s.date,
                f"Pain {s.pain_during}/10 during the session, above the ceiling of {s.ceiling}.",
                s.id,
            )


def morning_signals(sessions):
    """Next-morning pain above the ceiling, or higher than the morning before (§9.3)."""
    before = None
    for s in _by_date(sessions):
        if s.next_morning_pain is None:
            continue
        if s.next_morning_pain > s.ceiling:
            why = f"above the ceiling of {s.ceiling}"
        elif before is not None and s.next_morning_pain > before:
            why = f"higher than the morning before ({before}/10)"
        else:
            why = ""
        if why:
            yield Signal(
                f"morning:{s.id}",
                "morning",
                s.date,
                f"Next-morning pain {s.next_morning_pain}/10 after the session, {why}.",
                s.id,
            )
        before = s.next_morning_pain


def rising_signals(sessions, current_week):
    """Weekly mean pain or effort higher in the last completed week than the week before."""
    by_week = defaultdict(list)
    for s in sessions:
        if s.finished and s.week < current_week:
            by_week[s.week].append(s)
    weeks = sorted(by_week)
    for kind, attr in (("pain_rising", "pain_during"), ("effort_rising", "effort")):
        rated = [w for w in weeks if any(getattr(s, attr) is not None for s in by_week[w])]
        if len(rated) < 2:
            continue
        last, before = rated[-1], rated[-2]
        now = mean(getattr(s, attr) for s in by_week[last] if getattr(s, attr) is not None)
        then = mean(getattr(s, attr) for s in by_week[before] if getattr(s, attr) is not None)
        if now > then:
            word = "Pain" if kind == "pain_rising" else "Effort"
            yield Signal(
                f"{kind}:{last}",
                kind,
                max(s.date for s in by_week[last]),
                f"{word} averaged {now:.1f}/10 in week {last}, up from {then:.1f} in week {before}.",
            )


def too_hard_signals(sessions, sets, run=TOO_HARD_RUN):
    """A run of sets in a row, in one session, skipped as too hard (§9.6), once per run."""
    days = {s.id: s.date for s in sessions}
    ordered = sorted(
        (log for log in sets if log.session_id in days),
        key=lambda log: (days[log.session_id], log.session_id, log.position),
    )
    streak = []
    for log in [*ordered, None]:
        if log is not None and log.status == "skipped" and log.skip_reason == TOO_HARD:
            follows = streak and (streak[-1].session_id, streak[-1].position + 1) == (
                log.session_id,
                log.position,
            )
            if follows or not streak:
                streak.append(log)
                continue
        if len(streak) >= run:
            names = sorted({x.exercise for x in streak})
            yield Signal(
                f"too_hard:{streak[0].id}",
                "too_hard",
                days[streak[-1].session_id],
                f"{len(streak)} sets in a row skipped as too hard ({', '.join(names)}).",
                streak[-1].session_id,
            )
        is_start = log is not None and log.status == "skipped" and log.skip_reason == TOO_HARD
        streak = [log] if is_start else []


def absent_signal(plan, rxs, last_session_day, today, days=ABSENT_DAYS, program_key=""):
    """No session for `days` running days while sessions were planned (§9.5).

    Paused days and days before the start never count; a paused or finished plan is never absent.
    """
    if schedule.plan_state(plan, today)[0] != "running":
        return None
    since = max(d for d in (last_session_day, schedule.shifted(plan.start_date, days=-1)) if d)
    gap = since + schedule.ONE_DAY
    running_days = [
        gap + datetime.timedelta(days=i)
        for i in range((today - gap).days)  # today itself is still open
        if not schedule.paused_on(plan, gap + datetime.timedelta(days=i))
    ]
    if len(running_days) < days:
        return None
    missed = schedule.planned_sessions(plan, rxs, gap, today - schedule.ONE_DAY)
    if not missed:
        return None
    last = f"since {last_session_day:%-d %b}" if last_session_day else "since the plan started"
    return Signal(
        f"absent:{program_key}:{since.isoformat()}",
        "absent",
        today,
        f"No session {last} ({len(running_days)} days; {len(missed)} planned sessions missed).",
    )


def signals(sessions, sets, current_week):
    """Every signal the logs raise, most urgent first (absence is added by the caller)."""
    found = [
        *stop_signals(sessions, sets),
        *pain_signals(sessions),
        *morning_signals(sessions),
        *rising_signals(sessions, current_week),
        *too_hard_signals(sessions, sets),
    ]
    return sorted(found, key=lambda s: (s.urgency, -s.day.toordinal(), s.key))


# Dosing the therapist should look at -------------------------------------------------------

GLIDE_MAX_EFFORT = 3  # a glide should feel easy: light tension, never a strong stretch
GLIDE_MAX_REPS = 15  # published glide doses run 10-15 slow reps (docs/clinical.md §3)
GLIDE_CEILING = 2  # glides stay near symptom-free (docs/clinical.md §3, §8)


def glide_too_hard(*, loaded, effort, ceiling, most_reps):
    """Reasons a nerve glide is dosed harder than gentle (docs/clinical.md §3), if any."""
    reasons = []
    if loaded:
        reasons.append("it carries a load")
    if effort is not None and effort > GLIDE_MAX_EFFORT:
        reasons.append(f"target effort {effort}/10 (gentle is {GLIDE_MAX_EFFORT} or less)")
    if ceiling > GLIDE_CEILING:
        reasons.append(f"pain ceiling {ceiling}/10 (glides stay at {GLIDE_CEILING})")
    if most_reps > GLIDE_MAX_REPS:
        reasons.append(f"{most_reps} reps in a set (gentle is {GLIDE_MAX_REPS} or fewer)")
    return reasons


# Progression ----------------------------------------------------------------------------------

PROGRESS, HOLD, REGRESS = "progress", "hold", "regress"


@dataclass(frozen=True)
class Suggestion:
    prescription_id: int
    verdict: str
    reasons: list = field(default_factory=list)

    @property
    def reason(self):
        return "; ".join(self.reasons)


def suggest(prescription_id, target_effort, sessions, sets):
    """Progress, hold or regress one prescription from its recent logs (§9.8)."""
    mine = [s for s in sets if s.prescription_id == prescription_id and s.status != "pending"]
    by_id = {s.id: s for s in sessions if s.finished}
    done_in = {s.session_id for s in mine if s.session_id in by_id}
    if not done_in:
        return Suggestion(prescription_id, HOLD, ["Not enough logged yet to judge."])
    rated = [by_id[i] for i in sorted(done_in, key=lambda i: (by_id[i].date, i))]
    regress = []
    if any(s.status == "stopped" for s in mine):
        regress.append('"Stop: this hurts" was pressed')
    high = [s.pain_during for s in rated if s.pain_during is not None and s.pain_during > s.ceiling]
    if high:
        regress.append(f"pain {max(high)}/10 above the ceiling of {rated[0].ceiling}")
    morning = list(morning_signals(rated))
    if morning:
        regress.append("next-morning pain did not settle")
    if regress:
        return Suggestion(prescription_id, REGRESS, regress)
    hold = []
    missed = [s for s in mine if s.status != "done"]
    if missed:
        hold.append(f"{len(missed)} of {len(mine)} sets not done")
    efforts = [s.effort for s in rated if s.effort is not None]
    if target_effort is not None and efforts and max(efforts) > target_effort:
        hold.append(f"effort up to {max(efforts)}/10, above the target of {target_effort}")
    if hold:
        return Suggestion(prescription_id, HOLD, hold)
    return Suggestion(
        prescription_id,
        PROGRESS,
        [
            f"every set done in {len(rated)} session{'s' if len(rated) != 1 else ''}, "
            "effort on target, pain within the ceiling and settled next morning"
        ],
    )
