"""The schedule core: which sessions fall on which day, plan states, week ranges and the mix.

Plain values in, plain values out: no queries and no ORM imports, so every rule here is a pure
function that can be tested on its own. Models and views describe themselves as a `Plan` and
`Rx` rows, call these functions, and map the answers back to their rows.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)

# Plan statuses and frequencies, as stored (Program.Status, Prescription.Frequency).
DRAFT, ACTIVE, PAUSED, COMPLETED = "draft", "active", "paused", "completed"
DAILY, EVERY_N_DAYS, PER_WEEK, WEEKDAYS = "daily", "every_n_days", "per_week", "weekdays"
LEGS = {"both": {"left", "right"}, "each": {"left", "right"}, "left": {"left"}, "right": {"right"}}


@dataclass(frozen=True)
class Plan:
    """A program's schedule facts: when week 1 starts, how long, and its status history."""

    start_date: datetime.date | None
    weeks: int | None = None
    status: str = ACTIVE
    status_since: datetime.date | None = None
    pauses: tuple[tuple[datetime.date, datetime.date], ...] = ()


@dataclass(frozen=True)
class Rx:
    """One prescription row's schedule facts; `key` is whatever the caller maps back from."""

    key: object
    week_from: int = 1
    week_to: int | None = None
    frequency: str = PER_WEEK
    frequency_count: int = 3
    weekdays: tuple[int, ...] = ()
    order: int = 0
    kind: str = ""
    exercise: object = None
    side: str = "both"
    volume_per_session: float = 0.0

    @property
    def position(self):
        """The therapist's order: `order`, then the row's key (creation order for pks)."""
        return (self.order, _sortable(self.key))


@dataclass(frozen=True)
class Planned:
    """One planned session: a day, its slot within the day, its program week and its rows."""

    date: datetime.date
    slot: int
    week: int
    items: tuple = field(default_factory=tuple)

    @property
    def key(self):
        return (self.date, self.slot)


def _sortable(key):
    return key if isinstance(key, int) else getattr(key, "pk", None) or 0


def shifted(day, **delta):
    """day moved by a timedelta(**delta), held at the calendar's first or last day at its ends.

    A stored date near year 1 or 9999 must never raise OverflowError on a page.
    """
    step = datetime.timedelta(**delta)
    try:
        return day + step
    except OverflowError:
        return datetime.date.max if step > datetime.timedelta(0) else datetime.date.min


# Weeks ----------------------------------------------------------------------------------------


def end_date(plan):
    """Last day of the plan, or None when it is open-ended (or has no start)."""
    if not plan.start_date or not plan.weeks:
        return None
    return shifted(plan.start_date, weeks=plan.weeks, days=-1)


def week_of(plan, day):
    """The program week (1-based) that holds day, or None outside the plan."""
    if not plan.start_date or day < plan.start_date:
        return None
    week = (day - plan.start_date).days // 7 + 1
    return None if plan.weeks and week > plan.weeks else week


def week_start(plan, week):
    return shifted(plan.start_date, weeks=week - 1)


def applies_in(rx, week):
    return week is not None and week >= rx.week_from and (rx.week_to is None or week <= rx.week_to)


def week_span_text(first, last):
    """'week 3', 'weeks 1-4' or 'weeks 5 onwards': the one formatter for week spans."""
    if last is None:
        return f"weeks {first} onwards"
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def weeks_with_changes(rxs, weeks=None):
    """The weeks where the set of rows in force changes (always including week 1)."""
    bounds = {1}
    for rx in rxs:
        bounds.add(rx.week_from)
        if rx.week_to:
            bounds.add(rx.week_to + 1)
    last = weeks or max(bounds)
    return sorted(b for b in bounds if b <= last)


def week_ranges(rxs, weeks=None):
    """(first, last) spans of weeks in which the same rows apply; last None when open-ended."""
    starts = weeks_with_changes(rxs, weeks)
    ends = [s - 1 for s in starts[1:]] + [weeks]
    return list(zip(starts, ends, strict=True))


def in_order(rxs):
    """Rows in the therapist's order."""
    return sorted(rxs, key=lambda rx: rx.position)


# Plan state -----------------------------------------------------------------------------------


def paused_on(plan, day):
    return any(first <= day <= last for first, last in plan.pauses)


def plan_state(plan, day):
    """Where the plan stands on day: (state, the date to tell the patient or None).

    state is "draft", "upcoming", "running", "paused" or "finished".
    """
    last = end_date(plan)
    if plan.status == DRAFT or plan.start_date is None:
        return "draft", None
    if plan.status == PAUSED:
        return "paused", plan.status_since
    if plan.status == COMPLETED:
        return "finished", min(d for d in (last, plan.status_since) if d)
    if plan.start_date > day:
        return "upcoming", plan.start_date
    if last and day > last:
        return "finished", last
    return "running", None


def schedule_window(plan, start, end):
    """Clip start..end to the days this plan plans sessions for, or None."""
    if plan.status == DRAFT or not plan.start_date:
        return None
    first = max(start, plan.start_date)
    last = min(end, end_date(plan)) if end_date(plan) else end
    if plan.status in (PAUSED, COMPLETED) and plan.status_since:
        last = min(last, shifted(plan.status_since, days=-1))
    return (first, last) if first <= last else None


# Which sessions fall on which day -------------------------------------------------------------


def times_due(plan, rx, day, week):
    """How often rx is due on day: 0, 1, or several for times a day."""
    if not applies_in(rx, week):
        return 0
    n = rx.frequency_count
    if rx.frequency == DAILY:
        return n
    if rx.frequency == WEEKDAYS:
        return int(day.weekday() in rx.weekdays)
    if rx.frequency == EVERY_N_DAYS:
        return int((day - week_start(plan, rx.week_from)).days % n == 0)
    # Sessions a week: spread evenly over the program week, from its first day.
    offsets = {i * 7 // n for i in range(n)}
    return int((day - week_start(plan, week)).days in offsets)


def planned_sessions(plan, rxs, start, end):
    """The Planned sessions from start to end (inclusive), by date and slot.

    Each session's items are its rows in the therapist's order; paused days plan nothing.
    """
    window = schedule_window(plan, start, end)
    if window is None:
        return []
    rows = in_order(rxs)
    sessions = []
    first, last = window
    for offset in range((last - first).days + 1):  # never steps past the last date there is
        day = first + datetime.timedelta(days=offset)
        if not paused_on(plan, day):
            week = week_of(plan, day)
            due = [(rx, times_due(plan, rx, day, week)) for rx in rows]
            for slot in range(1, max((t for _, t in due), default=0) + 1):
                items = tuple(rx for rx, times in due if times >= slot)
                sessions.append(Planned(day, slot, week, items))
    return sessions


def due_any_day(plan, rxs, day, done_this_week):
    """The sessions-a-week rows the patient may do on day, in the therapist's order.

    "3 sessions a week (any days)": any day of the program week, at most once a day, until
    the week has had that many; a missed day is made up later in the same week.
    done_this_week maps a row's key to the sessions on the week's other days that had it.
    """
    if schedule_window(plan, day, day) is None or paused_on(plan, day):
        return []
    week = week_of(plan, day)
    return [
        rx
        for rx in in_order(rxs)
        if rx.frequency == PER_WEEK
        and applies_in(rx, week)
        and done_this_week.get(rx.key, 0) < rx.frequency_count
    ]


def sessions_on(plan, rxs, day, done_this_week):
    """The Planned sessions the patient may do on day: fixed-day rows as planned_sessions has
    them, and the sessions-a-week rows due_any_day allows, in the day's first session."""
    fixed = planned_sessions(plan, [rx for rx in rxs if rx.frequency != PER_WEEK], day, day)
    any_day = due_any_day(plan, rxs, day, done_this_week)
    if not any_day:
        return fixed
    first = fixed[0].items if fixed else ()
    return [
        Planned(day, 1, week_of(plan, day), tuple(in_order([*first, *any_day]))),
        *fixed[1:],
    ]


def next_session(plan, rxs, day, done_this_week, days=28):
    """The first planned day after day that still has a session, or None.

    Nominal days first (the spread planned_sessions suggests), skipping those whose week is
    already done, on the assumption that today's sessions-a-week rows are done today.
    """
    done = dict(done_this_week)
    for rx in due_any_day(plan, rxs, day, done_this_week):
        done[rx.key] = done.get(rx.key, 0) + 1
    week = week_of(plan, day)
    for planned in planned_sessions(plan, rxs, day + ONE_DAY, day + datetime.timedelta(days)):
        found = sessions_on(plan, rxs, planned.date, done if planned.week == week else {})
        if found:
            return found[0]
    return None


def sessions_per_week(rx):
    """Sessions a week this row asks for (a fraction for every N days)."""
    n = rx.frequency_count
    return {
        DAILY: 7 * n,
        EVERY_N_DAYS: 7 / n,
        PER_WEEK: n,
        WEEKDAYS: len(rx.weekdays),
    }[rx.frequency]


# The mix --------------------------------------------------------------------------------------


def mix(rxs, week, kinds):
    """Each kind's share (0-100) of the week's volume, and the total volume."""
    volume = dict.fromkeys(kinds, 0.0)
    for rx in rxs:
        if applies_in(rx, week) and rx.kind in volume:
            volume[rx.kind] += rx.volume_per_session * sessions_per_week(rx)
    total = sum(volume.values())
    return {k: round(100 * v / total) if total else 0 for k, v in volume.items()}, total


def concentric_only_spans(rxs, weeks, concentric="concentric", eccentric="eccentric"):
    """Week spans whose strengthening is all concentric (docs/clinical.md §0)."""
    spans = []
    for first, last in week_ranges(rxs, weeks):
        kinds = {rx.kind for rx in rxs if applies_in(rx, first)}
        if concentric in kinds and eccentric not in kinds:
            spans.append((first, last))
    return spans


# Rules over rows ------------------------------------------------------------------------------


def overlapping(rxs: Iterable[Rx]):
    """Pairs of rows that give the same exercise to the same leg in the same weeks."""
    rows = list(rxs)
    clashes = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a.exercise != b.exercise or not LEGS[a.side] & LEGS[b.side]:
                continue
            a_last = a.week_to or float("inf")
            b_last = b.week_to or float("inf")
            if a.week_from <= b_last and b.week_from <= a_last:
                clashes.append((a, b))
    return clashes


# Adherence ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekAdherence:
    week: int
    start: datetime.date
    planned: int
    done: int


def adherence(plan, planned: Sequence[Planned], finished_weeks: Sequence[int]):
    """Sessions finished against planned, per program week, latest week first."""
    weeks = sorted({p.week for p in planned} | set(finished_weeks), reverse=True)
    return [
        WeekAdherence(
            week=w,
            start=week_start(plan, w),
            planned=sum(1 for p in planned if p.week == w),
            done=sum(1 for f in finished_weeks if f == w),
        )
        for w in weeks
    ]
