"""The signal and progression rules (docs/clinical.md §9) on plain facts, boundaries first."""

import datetime
from decimal import Decimal

import pytest

from creekside.dosing import next_dose
from programs import insight, schedule
from programs.insight import SessionFacts, SetFacts

MONDAY = datetime.date(2026, 3, 2)


def day(n):
    return MONDAY + datetime.timedelta(days=n)


def session(pk, n, week=1, **fields):
    return SessionFacts(id=pk, date=day(n), week=week, finished=True, **fields)


def a_set(pk, session_id, position=1, status="done", **fields):
    base = {
        "prescription_id": 7,
        "exercise": "Bridge",
        "set_number": position,
        "side": "both",
        "pain_ceiling": 5,
    }
    return SetFacts(
        id=pk, session_id=session_id, position=position, status=status, **(base | fields)
    )


def kinds(found):
    return [s.kind for s in found]


def test_pain_at_the_ceiling_is_allowed_above_it_is_a_signal():
    at = session(1, 0, pain_during=5, ceiling=5)
    above = session(2, 1, pain_during=6, ceiling=5)
    found = list(insight.pain_signals([at, above]))
    assert [(s.kind, s.session_id) for s in found] == [("pain", 2)]
    assert found[0].reason == "Pain 6/10 during the session, above the ceiling of 5."


def test_each_stop_press_is_one_signal_with_its_leg_and_set():
    s = session(1, 0)
    sets = [
        a_set(10, 1, 1, status="stopped", pain=6, side="left"),
        a_set(11, 1, 2, status="skipped", skip_reason="Stopped: it hurt"),
    ]
    (found,) = insight.stop_signals([s], sets)
    assert found.key == "stop:10"
    assert (
        found.reason == "Stopped Bridge (set 1, left leg) with pain 6/10, above the ceiling of 5."
    )


def test_next_morning_equal_to_the_morning_before_has_settled():
    found = insight.morning_signals(
        [
            session(1, 0, next_morning_pain=2),
            session(2, 2, next_morning_pain=2),
            session(3, 4, next_morning_pain=3),
            session(4, 6, next_morning_pain=6, ceiling=5),
        ]
    )
    assert [(s.session_id, s.reason.split(", ")[1]) for s in found] == [
        (3, "higher than the morning before (2/10)."),
        (4, "above the ceiling of 5."),
    ]


def test_rising_compares_the_last_completed_week_with_the_one_before_skipping_empty_weeks():
    sessions = [
        session(1, 0, week=1, pain_during=2, effort=5),
        session(2, 2, week=1, pain_during=2, effort=5),
        # week 2: no sessions at all
        session(3, 14, week=3, pain_during=3, effort=5),
        session(4, 21, week=4, pain_during=9, effort=9),  # the current week: not judged yet
    ]
    found = list(insight.rising_signals(sessions, current_week=4))
    assert kinds(found) == ["pain_rising"]
    assert found[0].reason == "Pain averaged 3.0/10 in week 3, up from 2.0 in week 1."


def test_a_run_of_three_too_hard_skips_in_a_row():
    s = session(1, 0)
    two_then_done = [
        a_set(1, 1, 1, status="skipped", skip_reason="Too hard"),
        a_set(2, 1, 2, status="skipped", skip_reason="Too hard"),
        a_set(3, 1, 3),
        a_set(4, 1, 4, status="skipped", skip_reason="Too hard"),
    ]
    assert list(insight.too_hard_signals([s], two_then_done)) == []
    three = [a_set(5 + i, 1, 10 + i, status="skipped", skip_reason="Too hard") for i in range(3)]
    (found,) = insight.too_hard_signals([s], three)
    assert found.reason == "3 sets in a row skipped as too hard (Bridge)."


def test_absent_after_four_running_days_with_planned_sessions():
    plan = schedule.Plan(start_date=MONDAY, weeks=6)
    rxs = [schedule.Rx(key=1, frequency=schedule.DAILY, frequency_count=1)]
    assert insight.absent_signal(plan, rxs, day(0), day(4)) is None  # 3 days missed
    found = insight.absent_signal(plan, rxs, day(0), day(5), program_key="9")
    assert found.key == "absent:9:2026-03-02"
    assert "4 days; 4 planned sessions missed" in found.reason


def test_a_paused_plan_is_never_absent_and_pause_days_do_not_count():
    rxs = [schedule.Rx(key=1, frequency=schedule.DAILY, frequency_count=1)]
    paused = schedule.Plan(start_date=MONDAY, weeks=6, status=schedule.PAUSED, status_since=day(1))
    assert insight.absent_signal(paused, rxs, day(0), day(20)) is None
    was_paused = schedule.Plan(start_date=MONDAY, weeks=6, pauses=((day(1), day(10)),))
    assert insight.absent_signal(was_paused, rxs, day(0), day(13)) is None  # 2 running days
    assert insight.absent_signal(was_paused, rxs, day(0), day(15)) is not None


def test_no_absence_when_nothing_was_planned_in_the_gap():
    plan = schedule.Plan(start_date=MONDAY, weeks=6)
    mondays = [schedule.Rx(key=1, frequency=schedule.WEEKDAYS, weekdays=(0,))]
    assert insight.absent_signal(plan, mondays, day(0), day(6)) is None


def test_signals_sort_the_most_urgent_first():
    sessions = [session(1, 0, pain_during=3, next_morning_pain=6), session(2, 1, pain_during=7)]
    sets = [a_set(1, 1, status="stopped", pain=4)]
    assert kinds(insight.signals(sessions, sets, current_week=1)) == ["pain", "stop", "morning"]


def test_progress_when_every_set_is_done_on_target_and_settled():
    sessions = [session(1, 0, pain_during=2, effort=5, next_morning_pain=1)]
    sets = [a_set(1, 1), a_set(2, 1, 2)]
    suggestion = insight.suggest(7, 5, sessions, sets)
    assert suggestion.verdict == insight.PROGRESS


@pytest.mark.parametrize(
    ("session_fields", "sets", "verdict", "reason"),
    [
        ({"pain_during": 6}, None, "regress", "pain 6/10 above the ceiling of 5"),
        ({"pain_during": 5, "effort": 6}, None, "hold", "effort up to 6/10, above the target of 5"),
        ({}, [a_set(1, 1), a_set(2, 1, 2, status="skipped")], "hold", "1 of 2 sets not done"),
        ({}, [a_set(1, 1, status="stopped", pain=3)], "regress", '"Stop: this hurts" was pressed'),
    ],
)
def test_hold_or_regress_with_the_reason(session_fields, sets, verdict, reason):
    sessions = [session(1, 0, **({"pain_during": 1, "effort": 4} | session_fields))]
    suggestion = insight.suggest(7, 5, sessions, sets or [a_set(1, 1)])
    assert (suggestion.verdict, suggestion.reason) == (verdict, reason)


def test_no_logs_means_hold():
    assert insight.suggest(7, 5, [], []).verdict == insight.HOLD


def test_next_dose_steps_load_reps_holds_and_sets():
    kg = {"sets": 3, "targets": [(8, 8)] * 3, "hold_seconds": None, "load_kind": "kg"}
    assert next_dose("progress", **kg, load_amount=Decimal("10"))["load_amount"] == Decimal("10.5")
    assert next_dose("regress", **kg, load_amount=Decimal("10"))["load_amount"] == Decimal("9")
    body = {"hold_seconds": None, "load_kind": "bodyweight", "load_amount": None}
    assert next_dose("progress", sets=3, targets=[(8, 10)] * 3, **body)["reps"] == "10-12"
    assert next_dose("progress", sets=3, targets=[(12, 12)] * 3, **body)["reps"] == "14"
    added = next_dose("progress", sets=3, targets=[(15, 15)] * 3, **body)
    assert (added["sets"], added["reps"]) == (4, "15")
    assert next_dose("regress", sets=2, targets=[(3, 3)] * 2, **body)["sets"] == 1
    hold = {"targets": [None] * 2, "load_kind": "bodyweight", "load_amount": None}
    assert next_dose("progress", sets=2, hold_seconds=20, **hold)["hold_seconds"] == 25
    assert next_dose("hold", sets=2, hold_seconds=20, **hold)["hold_seconds"] == 20
