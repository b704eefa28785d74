"""The shipped exercise text as a physical therapist reviewed it (issue 14, item 16)."""

import json
import re

import pytest
from django.conf import settings

from creekside.dosing import tempo_phases

FIXTURES = settings.BASE_DIR / "fixtures"
EXERCISES = {
    row["fields"]["slug"]: row["fields"]
    for row in json.loads((FIXTURES / "hamstring_exercises.json").read_text())
}
PROTOCOLS = json.loads((FIXTURES / "protocols.json").read_text())
GOALS = {
    r["fields"]["slug"]: r["fields"]["goal"] for r in PROTOCOLS if r["model"] == "programs.program"
}


def text(slug):
    fields = EXERCISES[slug]
    return " ".join(fields[k] for k in ("summary", "instructions", "cues", "mistakes", "stop_if"))


def syllables(word):
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent e: "take", "hope"
    return max(count, 1)


def flesch_kincaid_grade(passage):
    sentences = max(1, len(re.findall(r"[.!?]+(\s|$)", passage)))
    words = re.findall(r"[A-Za-z']+", passage)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * len(words) / sentences + 11.8 * per_word - 15.59


def test_the_formula_reads_the_old_askling_goal_at_grade_12_8():
    old = (
        "Recover from a hamstring strain with three lengthening exercises, always stopping just "
        "before it hurts, until your therapist clears you to return."
    )
    assert round(flesch_kincaid_grade(old), 1) == 12.8


@pytest.mark.parametrize("slug", sorted(GOALS))
def test_template_goals_read_at_age_12_or_lower(slug):
    # Reading age is about the US grade plus 5: age 12 is grade 7.
    assert flesch_kincaid_grade(GOALS[slug]) <= 7, GOALS[slug]


def test_the_deadlift_lowers_only_as_far_as_the_back_stays_flat():
    deadlift = text("slow-lowering-deadlift")
    assert "bend your knees a little" not in deadlift
    assert "floor" not in EXERCISES["slow-lowering-deadlift"]["instructions"]
    assert "Lower only as far as your back stays flat" in deadlift
    assert "step" in EXERCISES["slow-lowering-deadlift"]["equipment"]


def test_chin_words_match_the_neck_movement():
    lying, slump = text("lying-sciatic-floss"), text("long-sitting-slump-slider")
    assert "lift your chin" not in lying and "chin up" not in lying  # it is neck flexion
    assert "tuck your chin" in lying
    assert "lift your chin" not in slump  # it is extension: look up
    assert "look up" in slump


def test_the_standing_floss_holds_on_and_stops_for_balance():
    floss = EXERCISES["standing-sciatic-floss"]
    assert "hands on your hips" not in floss["instructions"]
    assert "hold the wall or the back of the chair" in floss["instructions"]
    assert "lose your balance" in floss["stop_if"]


@pytest.mark.parametrize("slug", ["askling-extender", "askling-diver", "askling-glider"])
def test_askling_stop_text_is_the_plans_one_rule(slug):
    (askling,) = [r for r in PROTOCOLS if r["fields"].get("slug") == "askling-l-protocol-2013"]
    ceiling = askling["fields"]["pain_ceiling"]
    stop = EXERCISES[slug]["stop_if"]
    # The plan page says "Stop if the pain goes above 2 out of 10": the same rule, word for word.
    assert f"goes above {ceiling} out of 10: stop." in stop
    assert "or more" not in stop and "ease off" not in stop


def test_the_standing_curls_hold_at_the_top_is_in_the_starter_tempo():
    (row,) = [
        r["fields"]
        for r in PROTOCOLS
        if r["model"] == "programs.prescription"
        and r["fields"]["exercise"] == ["standing-hamstring-curl"]
    ]
    steps = EXERCISES["standing-hamstring-curl"]["instructions"]
    assert "Hold for three seconds at the top." in steps
    assert tempo_phases(row["tempo"])[3] == 3  # lower-pause-lift-pause: the pause at the top
    assert tempo_phases(EXERCISES["standing-hamstring-curl"]["default_tempo"])[3] == 3
