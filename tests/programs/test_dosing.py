"""The rep-scheme parser and the dose-line formatter (creekside/dosing.py, Prescription.dose_text)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from creekside import dose_words
from creekside.dosing import SCHEME_HELP, format_target, parse_reps
from programs.models import Prescription
from tests.conftest import prescribe


@pytest.mark.parametrize(
    ("scheme", "sets", "targets"),
    [
        ("10", 3, [(10, 10)] * 3),
        ("6-8", 3, [(6, 8)] * 3),
        ("12,10,8", 3, [(12, 12), (10, 10), (8, 8)]),
        ("8-10,6-8", 2, [(8, 10), (6, 8)]),
        (" 12, 10 , 8 ", 3, [(12, 12), (10, 10), (8, 8)]),
        ("6 - 8", 2, [(6, 8)] * 2),
        ("6–8", 3, [(6, 8)] * 3),  # en dash, as pasted from a paper
        ("12,8–10", 2, [(12, 12), (8, 10)]),
        ("100", 1, [(100, 100)]),
        ("1", 2, [(1, 1)] * 2),
    ],
)
def test_it_parses_every_scheme_form(scheme, sets, targets):
    assert parse_reps(scheme, sets) == targets


@pytest.mark.parametrize(
    ("scheme", "sets", "code", "message"),
    [
        ("", 3, "reps_missing", "Enter the reps. " + SCHEME_HELP),
        ("   ", 3, "reps_missing", "Enter the reps."),
        ("abc", 3, "bad_reps", "“abc” is not a rep count. " + SCHEME_HELP),
        ("ten", 3, "bad_reps", "“ten” is not a rep count."),
        ("0", 3, "reps_too_low", "Reps must be at least 1."),
        ("0-5", 3, "reps_too_low", "Reps must be at least 1."),
        (
            "8-6",
            3,
            "reps_range_reversed",
            "The range 8-6 goes down; put the smaller number first (6-8).",
        ),
        (
            "12,10",
            3,
            "reps_sets_mismatch",
            "The scheme lists 2 sets (12,10) but the prescription has 3. "
            "Give one number per set, or a single number for all sets.",
        ),
        ("12,10,8,6", 3, "reps_sets_mismatch", "The scheme lists 4 sets (12,10,8,6)"),
        ("101", 3, "reps_too_high", "At most 100 reps in a set."),
        ("8-120", 3, "reps_too_high", "At most 100 reps in a set."),
        ("1,,2", 3, "bad_reps", "There is an empty entry between commas."),
        ("3x10", 3, "bad_reps", "“3x10” is not a rep count."),
        ("6-8-10", 3, "bad_reps", "“6-8-10” is not a rep count."),
    ],
)
def test_it_explains_every_bad_scheme(scheme, sets, code, message):
    with pytest.raises(ValidationError) as caught:
        parse_reps(scheme, sets)
    assert caught.value.code == code
    assert message in caught.value.messages[0]


def test_format_target_shows_a_range_only_when_it_is_one():
    assert format_target(10, 10) == "10"
    assert format_target(6, 8) == "6-8"


def dose(**fields):
    base = {"sets": 3, "reps": "10", "frequency": "per_week", "frequency_count": 3}
    base.update(fields)
    return Prescription(**base).describe()


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"reps": "12,10,8", "tempo": "4-0-1-0", "effort": 6},
            "3 sets: 12, 10, 8 reps · lower over 4 s · bodyweight · effort 6/10 · 3×/week",
        ),
        ({"sets": 2, "reps": "5", "frequency_count": 1}, "2 sets of 5 reps · bodyweight · 1×/week"),
        ({"reps": "6-8"}, "3 sets of 6-8 reps · bodyweight · 3×/week"),
        ({"sets": 2, "reps": "8-10,6-8"}, "2 sets: 8-10, 6-8 reps · bodyweight · 3×/week"),
        ({"sets": 1}, "1 set of 10 reps · bodyweight · 3×/week"),
        ({"reps": "", "hold_seconds": 30}, "3 holds of 30 s · bodyweight · 3×/week"),
        ({"sets": 1, "reps": "", "hold_seconds": 20}, "1 hold of 20 s · bodyweight · 3×/week"),
        ({"hold_seconds": 5}, "3 sets of 10 reps, hold 5 s · bodyweight · 3×/week"),
        ({"side": "each"}, "3 sets of 10 reps each side · bodyweight · 3×/week"),
        ({"side": "left"}, "3 sets of 10 reps (left leg) · bodyweight · 3×/week"),
        ({"tempo": "X-0-3-0"}, "3 sets of 10 reps · lower fast · bodyweight · 3×/week"),
        ({"load_kind": "kg", "load_amount": Decimal("8.0")}, "3 sets of 10 reps · 8 kg · 3×/week"),
        (
            {"load_kind": "lb", "load_amount": Decimal("7.5")},
            "3 sets of 10 reps · 7.5 lb · 3×/week",
        ),
        ({"load_kind": "band", "load_text": "red"}, "3 sets of 10 reps · red band · 3×/week"),
        ({"load_kind": "partner"}, "3 sets of 10 reps · partner push · 3×/week"),
        (
            {"load_kind": "other", "load_text": "a full shopping bag"},
            "3 sets of 10 reps · a full shopping bag · 3×/week",
        ),
        ({"effort": 0}, "3 sets of 10 reps · bodyweight · effort 0/10 · 3×/week"),
        (
            {"frequency": "daily", "frequency_count": 1},
            "3 sets of 10 reps · bodyweight · once a day",
        ),
        (
            {"frequency": "daily", "frequency_count": 2},
            "3 sets of 10 reps · bodyweight · twice a day",
        ),
        ({"frequency": "daily", "frequency_count": 3}, "3 sets of 10 reps · bodyweight · 3×/day"),
        (
            {"frequency": "every_n_days", "frequency_count": 2},
            "3 sets of 10 reps · bodyweight · every other day",
        ),
        (
            {"frequency": "every_n_days", "frequency_count": 3},
            "3 sets of 10 reps · bodyweight · every 3 days",
        ),
        (
            {"frequency": "weekdays", "weekdays": "0,2,4"},
            "3 sets of 10 reps · bodyweight · Mon Wed Fri",
        ),
    ],
)
def test_dose_line(fields, line):
    assert dose(**fields) == line


def test_set_targets_follow_the_scheme():
    assert Prescription(sets=3, reps="12,10,8").set_targets() == [(12, 12), (10, 10), (8, 8)]
    assert Prescription(sets=2, reps="", hold_seconds=30).set_targets() == [None, None]


# What the patient reads ----------------------------------------------------------------------


def test_the_patient_reads_plain_words_for_the_stored_dose_line(db, program, exercise):
    row = prescribe(
        program,
        exercise,
        sets=2,
        reps="8",
        side="each",
        tempo="2-0-1-0",
        effort=4,
        frequency="per_week",
        frequency_count=3,
        week_from=2,
    )
    assert (
        row.dose_text
        == "2 sets of 8 reps each side · lower over 2 s · bodyweight · effort 4/10 · 3×/week"
    )
    assert dose_words.patient_dose(row, row.weekday_list) == [
        "2 sets of 8 reps on each leg",
        "Lower slowly for 2 seconds",
        "How hard: about 4 out of 10",
        "3 times a week",
    ]
    assert dose_words.patient_dose(row, frequency=False)[-1] == "How hard: about 4 out of 10"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((3, [(10, 10)] * 3, None), "3 sets of 10 reps"),
        ((1, [(1, 1)], None), "1 set of 1 rep"),
        ((3, [(6, 8)] * 3, None), "3 sets of 6 to 8 reps"),
        ((3, [(12, 12), (10, 10), (8, 8)], None), "3 sets: 12, then 10, then 8 reps"),
        ((3, [(10, 10)] * 3, 5), "3 sets of 10 reps, holding each rep for 5 seconds"),
        ((2, [None, None], 30), "2 holds of 30 seconds"),
        ((1, [None], 1), "1 hold of 1 second"),
    ],
)
def test_patient_volume(args, words):
    assert dose_words.patient_volume(*args) == words


@pytest.mark.parametrize(
    ("function", "args", "words"),
    [
        ("patient_tempo", ("4-0-1-0",), "Lower slowly for 4 seconds"),
        (
            "patient_tempo",
            ("2-0-1-3",),
            "Hold for 3 seconds before you lower, then lower slowly for 2 seconds",
        ),
        ("patient_tempo", ("X-0-X-0",), ""),
        ("patient_tempo", ("",), ""),
        ("patient_load", ("bodyweight",), ""),
        ("patient_load", ("red band",), "Use the red band"),
        ("patient_load", ("8 kg",), "Use 8 kg"),
        ("patient_load", ("partner push (gentle)",), "A helper pushes (gentle)"),
        ("patient_effort", (None,), ""),
        ("patient_effort", (6,), "How hard: about 6 out of 10"),
        ("patient_frequency", ("per_week", 1), "Once a week"),
        ("patient_frequency", ("per_week", 3), "3 times a week"),
        ("patient_frequency", ("daily", 1), "Every day"),
        ("patient_frequency", ("daily", 2), "Twice a day"),
        ("patient_frequency", ("every_n_days", 2), "Every other day"),
        ("patient_frequency", ("every_n_days", 3), "Every 3 days"),
        ("patient_frequency", ("weekdays", 0, (0, 3)), "On Mondays and Thursdays"),
        ("patient_frequency", ("weekdays", 0, (0, 2, 4)), "On Mondays, Wednesdays and Fridays"),
        ("patient_frequency", ("weekdays", 0, tuple(range(7))), "Every day"),
    ],
)
def test_patient_words(function, args, words):
    assert getattr(dose_words, function)(*args) == words
