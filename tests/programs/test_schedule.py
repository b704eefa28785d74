import datetime
from collections import Counter

import pytest

from programs.models import Program
from tests.conftest import MONDAY, days, make_exercise, make_program, prescribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordic_program(patient):
    """Petersen et al. 2011, Table 1 (docs/clinical.md §1)."""
    nordic = make_exercise(slug="nordic", name="Nordic curl", kind="eccentric", position="kneeling")
    program = make_program(patient, title="Nordic", start_date=MONDAY, weeks=None)
    rows = [(1, 1, 1, 2, "5"), (2, 2, 2, 2, "6"), (3, 3, 3, 3, "6-8"), (4, 4, 3, 3, "8-10")]
    for week_from, week_to, per_week, sets, reps in rows:
        prescribe(
            program,
            nordic,
            week_from=week_from,
            week_to=week_to,
            frequency_count=per_week,
            sets=sets,
            reps=reps,
        )
    prescribe(program, nordic, week_from=5, week_to=10, frequency_count=3, sets=3, reps="12,10,8")
    prescribe(
        program, nordic, week_from=11, week_to=None, frequency_count=1, sets=3, reps="12,10,8"
    )
    return program


def test_nordic_progression_has_27_sessions_in_10_weeks(nordic_program):
    sessions = nordic_program.planned_sessions(MONDAY, MONDAY + days(69))
    assert len(sessions) == 27
    per_week = Counter(s.week for s in sessions)
    assert [per_week[w] for w in range(1, 11)] == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]
    doses = {s.week: s.items[0].prescription.dose_text for s in sessions}
    assert doses[1].startswith("2 sets of 5 reps")
    assert doses[3].startswith("3 sets of 6-8 reps")
    assert doses[5].startswith("3 sets: 12, 10, 8 reps")


def test_nordic_maintenance_is_weekly_and_open_ended(nordic_program):
    week_11 = MONDAY + days(70)
    sessions = nordic_program.planned_sessions(week_11, week_11 + days(7 * 20 - 1))
    assert len(sessions) == 20
    assert {s.items[0].prescription.frequency_count for s in sessions} == {1}


def test_week_10_to_11_boundary(nordic_program):
    sessions = nordic_program.planned_sessions(MONDAY + days(63), MONDAY + days(76))
    assert [s.week for s in sessions] == [10, 10, 10, 11]


def test_per_week_sessions_are_spread_from_a_mid_week_start(patient, exercise):
    thursday = datetime.date(2026, 11, 5)
    program = make_program(patient, start_date=thursday)
    prescribe(program, exercise, frequency="per_week", frequency_count=3)
    sessions = program.planned_sessions(thursday - days(3), thursday + days(13))
    assert [s.date for s in sessions] == [
        thursday,
        thursday + days(2),
        thursday + days(4),
        thursday + days(7),
        thursday + days(9),
        thursday + days(11),
    ]


def test_chosen_weekdays(patient, exercise):
    program = make_program(patient, start_date=datetime.date(2026, 11, 4))  # a Wednesday
    prescribe(program, exercise, frequency="weekdays", weekdays="0,2,4")
    sessions = program.planned_sessions(MONDAY, MONDAY + days(13))
    assert [s.date.strftime("%a %d") for s in sessions] == [
        "Wed 04",
        "Fri 06",
        "Mon 09",
        "Wed 11",
        "Fri 13",
    ]


def test_twice_daily_glide_beside_three_times_weekly_strength(patient, exercise):
    glide = make_exercise(slug="slump", name="Slump slider", kind="nerve_glide", position="sitting")
    program = make_program(patient, start_date=MONDAY)
    prescribe(program, exercise, frequency="per_week", frequency_count=3)
    prescribe(program, glide, frequency="daily", frequency_count=2, sets=1)
    sessions = program.planned_sessions(MONDAY, MONDAY + days(6))
    assert len(sessions) == 14
    monday = [s for s in sessions if s.date == MONDAY]
    assert [s.slot for s in monday] == [1, 2]
    assert [i.exercise.slug for i in monday[0].items] == ["standing-hamstring-curl", "slump"]
    assert [i.exercise.slug for i in monday[1].items] == ["slump"]
    tuesday = [s for s in sessions if s.date == MONDAY + days(1)]
    assert [[i.exercise.slug for i in s.items] for s in tuesday] == [["slump"], ["slump"]]


def test_askling_l_protocol_over_four_weeks(patient):
    """Askling 2013 (docs/clinical.md §2): L1 twice daily, L2 every other day, L3 every third day."""
    extender = make_exercise(
        slug="askling-extender", name="Extender", kind="eccentric", position="lying"
    )
    diver = make_exercise(slug="askling-diver", name="Diver", kind="eccentric")
    glider = make_exercise(slug="askling-glider", name="Glider", kind="eccentric")
    program = make_program(patient, start_date=MONDAY, weeks=4)
    prescribe(program, extender, reps="12", frequency="daily", frequency_count=2)
    prescribe(program, diver, reps="6", frequency="every_n_days", frequency_count=2)
    prescribe(program, glider, reps="4", frequency="every_n_days", frequency_count=3)
    sessions = program.planned_sessions(MONDAY - days(7), MONDAY + days(60))
    assert len(sessions) == 56
    counts = Counter(i.exercise.slug for s in sessions for i in s.items)
    assert counts == {"askling-extender": 56, "askling-diver": 14, "askling-glider": 10}
    assert sessions[-1].date == MONDAY + days(27)


def test_every_n_days_counts_from_the_prescriptions_first_week(patient, exercise):
    program = make_program(patient, start_date=MONDAY)
    prescribe(program, exercise, week_from=2, frequency="every_n_days", frequency_count=3)
    sessions = program.planned_sessions(MONDAY, MONDAY + days(20))
    assert [s.date for s in sessions] == [
        MONDAY + days(7),
        MONDAY + days(10),
        MONDAY + days(13),
        MONDAY + days(16),
        MONDAY + days(19),
    ]


def test_draft_programs_plan_nothing(program):
    program.status = Program.Status.DRAFT
    assert program.planned_sessions(MONDAY, MONDAY + days(30)) == []


@pytest.mark.parametrize("status", [Program.Status.PAUSED, Program.Status.COMPLETED])
def test_paused_and_completed_programs_stop_on_the_status_date(program, status):
    program.status = status
    program.status_since = MONDAY + days(7)
    sessions = program.planned_sessions(MONDAY, MONDAY + days(30))
    assert [s.date for s in sessions] == [MONDAY, MONDAY + days(2), MONDAY + days(4)]


def test_program_length_ends_the_schedule(program):
    sessions = program.planned_sessions(MONDAY, MONDAY + days(100))
    assert len(sessions) == 18
    assert sessions[-1].date == MONDAY + days(39)


def test_nothing_before_the_start(program):
    assert program.planned_sessions(MONDAY - days(10), MONDAY - days(1)) == []


def test_planned_sessions_query_once(program, django_assert_num_queries):
    with django_assert_num_queries(1):
        program.planned_sessions(MONDAY, MONDAY + days(60))
