"""The schedule core on its own: plain values, no database, properties over many plans."""

import ast
import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from programs import schedule
from programs.schedule import Plan, Rx
from tests.conftest import MONDAY

starts = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2028, 12, 31))
weekday_sets = st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s)))


def days(plan, first, last, rxs):
    return schedule.planned_sessions(plan, rxs, first, last)


@settings(max_examples=60, deadline=None)
@given(start=starts, count=st.integers(1, 7), weeks=st.integers(1, 8))
def test_sessions_a_week_plan_exactly_that_many_whatever_the_start_weekday(start, count, weeks):
    plan = Plan(start_date=start, weeks=weeks)
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=count)
    planned = days(plan, start, schedule.end_date(plan), [rx])
    for week in range(1, weeks + 1):
        assert sum(1 for p in planned if p.week == week) == count


@settings(max_examples=60, deadline=None)
@given(start=starts, chosen=weekday_sets, per_day=st.integers(1, 3))
def test_weekday_and_daily_rows_plan_their_frequency_every_full_week(start, chosen, per_day):
    plan = Plan(start_date=start, weeks=3)
    on_days = Rx(key=1, frequency=schedule.WEEKDAYS, weekdays=chosen)
    daily = Rx(key=2, frequency=schedule.DAILY, frequency_count=per_day)
    planned = days(plan, start, schedule.end_date(plan), [on_days, daily])
    for week in (1, 2, 3):
        sessions = [p for p in planned if p.week == week]
        assert sum(1 for p in sessions if on_days in p.items) == len(chosen)
        assert sum(1 for p in sessions if daily in p.items) == 7 * per_day
        assert len(sessions) == 7 * per_day  # the weekday row rides in slot 1


@settings(max_examples=60, deadline=None)
@given(
    start=starts,
    pause_from=st.integers(0, 40),
    pause_days=st.integers(1, 20),
    count=st.integers(1, 7),
)
def test_a_pause_plans_nothing_and_leaves_every_other_day_alone(
    start, pause_from, pause_days, count
):
    first = start + datetime.timedelta(days=pause_from)
    pause = (first, first + datetime.timedelta(days=pause_days - 1))
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=count)
    running = Plan(start_date=start, weeks=8)
    paused = Plan(start_date=start, weeks=8, pauses=(pause,))
    end = schedule.end_date(running)
    with_pause = {p.key for p in days(paused, start, end, [rx])}
    without = {p.key for p in days(running, start, end, [rx])}
    assert all(not (pause[0] <= d <= pause[1]) for d, _ in with_pause)
    assert with_pause == {(d, s) for d, s in without if not (pause[0] <= d <= pause[1])}


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 5), st.integers(1, 4), st.none() | st.integers(4, 8)),
        min_size=1,
        max_size=6,
    )
)
def test_a_sessions_steps_follow_the_therapists_order(rows):
    rxs = [
        Rx(
            key=pk,
            order=order,
            week_from=week_from,
            week_to=week_to,
            frequency=schedule.DAILY,
            frequency_count=1,
        )
        for pk, (order, week_from, week_to) in enumerate(rows, start=1)
    ]
    plan = Plan(start_date=MONDAY, weeks=8)
    for planned in days(plan, MONDAY, schedule.end_date(plan), list(reversed(rxs))):
        positions = [(rx.order, rx.key) for rx in planned.items]
        assert positions == sorted(positions)
        assert all(schedule.applies_in(rx, planned.week) for rx in planned.items)


def test_a_later_row_with_a_lower_order_comes_first():
    early = Rx(key=1, order=2, week_from=1, frequency=schedule.DAILY, frequency_count=1)
    later = Rx(key=2, order=1, week_from=3, frequency=schedule.DAILY, frequency_count=1)
    plan = Plan(start_date=MONDAY, weeks=4)
    week3 = MONDAY + datetime.timedelta(weeks=2)
    (session,) = days(plan, week3, week3, [early, later])
    assert [rx.key for rx in session.items] == [2, 1]


def test_plan_states_on_their_boundaries():
    plan = Plan(start_date=MONDAY, weeks=2)
    assert schedule.plan_state(plan, MONDAY - datetime.timedelta(days=1)) == ("upcoming", MONDAY)
    assert schedule.plan_state(plan, MONDAY) == ("running", None)
    last = MONDAY + datetime.timedelta(days=13)
    assert schedule.plan_state(plan, last) == ("running", None)
    assert schedule.plan_state(plan, last + datetime.timedelta(days=1)) == ("finished", last)
    paused = Plan(start_date=MONDAY, weeks=2, status=schedule.PAUSED, status_since=MONDAY)
    assert schedule.plan_state(paused, last) == ("paused", MONDAY)
    assert schedule.plan_state(Plan(start_date=None, status=schedule.DRAFT), MONDAY)[0] == "draft"


def test_week_spans_have_one_formatter():
    assert schedule.week_span_text(3, 3) == "week 3"
    assert schedule.week_span_text(1, 4) == "weeks 1-4"
    assert schedule.week_span_text(5, None) == "weeks 5 onwards"


def test_week_ranges_split_where_the_rows_change():
    rows = [Rx(key=1, week_from=1, week_to=4), Rx(key=2, week_from=5), Rx(key=3, week_from=1)]
    assert schedule.week_ranges(rows, 10) == [(1, 4), (5, 10)]
    assert schedule.week_ranges(rows, None) == [(1, 4), (5, None)]


def test_overlapping_rows_share_an_exercise_a_leg_and_a_week():
    left = Rx(key="a", exercise=7, side="left", week_from=1, week_to=4)
    right = Rx(key="b", exercise=7, side="right", week_from=1, week_to=4)
    both_later = Rx(key="c", exercise=7, side="both", week_from=5)
    assert schedule.overlapping([left, right, both_later]) == []
    each_week4 = Rx(key="d", exercise=7, side="each", week_from=4, week_to=6)
    assert {(a.key, b.key) for a, b in schedule.overlapping([left, each_week4])} == {("a", "d")}
    other_exercise = Rx(key="e", exercise=8, side="left", week_from=1)
    assert schedule.overlapping([left, other_exercise]) == []


def test_adherence_counts_each_week_latest_first():
    plan = Plan(start_date=MONDAY, weeks=2)
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=3)
    planned = days(plan, MONDAY, schedule.end_date(plan), [rx])
    rows = schedule.adherence(plan, planned, finished_weeks=[1, 1, 2])
    assert [(r.week, r.planned, r.done) for r in rows] == [(2, 3, 1), (1, 3, 2)]
    assert rows[1].start == MONDAY


def test_the_core_imports_no_orm():
    source = Path(schedule.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not any(name.startswith("django") for name in imported), imported


# Sessions a week, on any days ----------------------------------------------------------------


def walk(plan, rxs, chosen_offsets):
    """Do a session on each chosen day (offsets from the start) the rule allows; per week,
    the rows done: what a patient who picks their own days gets."""
    done_by_week = {}
    for offset in sorted(chosen_offsets):
        day = plan.start_date + datetime.timedelta(days=offset)
        week = schedule.week_of(plan, day)
        done = done_by_week.setdefault(week, {})
        for planned in schedule.sessions_on(plan, rxs, day, done):
            assert planned.slot == 1 or not any(
                rx.frequency == schedule.PER_WEEK for rx in planned.items
            )
            for rx in planned.items:
                done[rx.key] = done.get(rx.key, 0) + 1
    return done_by_week


@settings(max_examples=80, deadline=None)
@given(
    start=starts,
    count=st.integers(1, 7),
    chosen=st.sets(st.integers(0, 20)),
)
def test_sessions_a_week_go_on_any_days_up_to_the_count_one_a_day(start, count, chosen):
    plan = Plan(start_date=start, weeks=3)
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=count)
    done_by_week = walk(plan, [rx], chosen)
    for week in (1, 2, 3):
        days_chosen = sum(1 for d in chosen if d // 7 + 1 == week)
        assert done_by_week.get(week, {}).get(1, 0) == min(count, days_chosen)


@settings(max_examples=60, deadline=None)
@given(start=starts, count=st.integers(1, 3))
def test_missed_nominal_days_are_made_up_later_in_the_week(start, count):
    plan = Plan(start_date=start, weeks=1)
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=count)
    nominal = {
        (p.date - start).days
        for p in schedule.planned_sessions(plan, [rx], start, start + datetime.timedelta(6))
    }
    other_days = set(range(7)) - nominal
    assert walk(plan, [rx], other_days)[1][1] == min(count, len(other_days))


def test_a_three_a_week_plan_started_on_wednesday_can_be_done_on_thursday():
    wednesday = datetime.date(2026, 11, 4)
    plan = Plan(start_date=wednesday, weeks=6)
    strength = Rx(key="curl", frequency=schedule.PER_WEEK, frequency_count=3)
    glide = Rx(key="glide", frequency=schedule.DAILY, frequency_count=1, order=1)
    thursday = wednesday + datetime.timedelta(days=1)
    assert not any(
        strength in p.items for p in schedule.planned_sessions(plan, [strength], thursday, thursday)
    )
    assert schedule.due_any_day(plan, [strength, glide], thursday, {"curl": 1}) == [strength]
    [session] = schedule.sessions_on(plan, [strength, glide], thursday, {"curl": 1, "glide": 1})
    assert (session.slot, session.items) == (1, (strength, glide))  # the therapist's order
    assert schedule.due_any_day(plan, [strength], thursday, {"curl": 3}) == []
    assert schedule.sessions_on(plan, [strength, glide], thursday, {"curl": 3}) == [
        schedule.Planned(thursday, 1, 1, (glide,))
    ]


def test_any_days_stop_when_the_plan_does_not_run():
    plan = Plan(start_date=MONDAY, weeks=1, pauses=((MONDAY, MONDAY),))
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=3)
    assert schedule.due_any_day(plan, [rx], MONDAY, {}) == []  # paused
    assert schedule.due_any_day(plan, [rx], MONDAY - datetime.timedelta(1), {}) == []  # before
    assert schedule.due_any_day(plan, [rx], MONDAY + datetime.timedelta(7), {}) == []  # after
    later = Rx(key=2, frequency=schedule.PER_WEEK, frequency_count=3, week_from=2)
    assert schedule.due_any_day(Plan(start_date=MONDAY, weeks=3), [later], MONDAY, {}) == []


def test_the_next_session_skips_a_week_that_is_done():
    plan = Plan(start_date=MONDAY, weeks=6)
    rx = Rx(key=1, frequency=schedule.PER_WEEK, frequency_count=3)  # nominal Mon, Wed, Fri
    assert schedule.next_session(plan, [rx], MONDAY, {}).date == MONDAY + datetime.timedelta(2)
    thursday = MONDAY + datetime.timedelta(3)
    # Done Monday and Tuesday; today (Thursday) is the third: Friday has nothing left.
    assert schedule.next_session(plan, [rx], thursday, {1: 2}).date == MONDAY + datetime.timedelta(
        7
    )
    assert schedule.next_session(Plan(start_date=MONDAY, weeks=1), [rx], thursday, {1: 2}) is None
