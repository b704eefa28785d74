"""The shipped exercise text as a physical therapist reviewed it (issue 14, item 16)."""

import json
import re

import pytest
from django.conf import settings

from creekside.dosing import tempo_phases

FIXTURES = settings.BASE_DIR / "fixtures"
ROWS = json.loads((FIXTURES / "hamstring_exercises.json").read_text())


def in_language(fields, code):
    """A fixture row's fields with one language's text under the plain names (summary, ...)."""
    chosen = {}
    for key, value in fields.items():
        base, _, suffix = key.rpartition("_")
        if suffix in ("en", "es"):
            if suffix == code:
                chosen[base] = value
        else:
            chosen[key] = value
    return chosen


EXERCISES = {row["fields"]["slug"]: in_language(row["fields"], "en") for row in ROWS}
SPANISH = {row["fields"]["slug"]: in_language(row["fields"], "es") for row in ROWS}
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


# The Spanish text keeps each rule exactly (issue 16) --------------------------------------

NERVE_GLIDES = [slug for slug, f in EXERCISES.items() if f["kind"] == "nerve_glide"]


def test_every_spanish_text_has_a_line_for_each_english_line():
    for slug, english in EXERCISES.items():
        for field in ("instructions", "cues", "mistakes", "stop_if"):
            want = len(english[field].splitlines())
            assert len(SPANISH[slug][field].splitlines()) == want, (slug, field)


@pytest.mark.parametrize("slug", ["askling-extender", "askling-diver", "askling-glider"])
def test_spanish_askling_stop_text_is_the_plans_one_rule(slug):
    (askling,) = [r for r in PROTOCOLS if r["fields"].get("slug") == "askling-l-protocol-2013"]
    ceiling = askling["fields"]["pain_ceiling"]
    first = SPANISH[slug]["stop_if"].splitlines()[0]
    assert first == f"Dolor en la zona lesionada que pasa de {ceiling} sobre 10: detente."


def test_spanish_nerve_glides_keep_the_same_three_stop_rules():
    assert len(NERVE_GLIDES) == 4
    rules = {tuple(SPANISH[slug]["stop_if"].splitlines()[:3]) for slug in NERVE_GLIDES}
    assert len(rules) == 1
    (lingering, building, red_flags) = rules.pop()
    # Tingling or numbness that lasts; symptoms that build up or linger; the red flags today.
    assert lingering.startswith("Hormigueo o adormecimiento que no se calma")
    assert lingering.endswith("detente y avisa a tu terapeuta.")
    assert "va a más" in building and "sigue ahí cuando terminas" in building
    for sign in ("ingle", "orina", "heces", "debilidad en la pierna"):
        assert sign in red_flags
    assert red_flags.endswith("busca ayuda médica hoy mismo.")


def test_spanish_glides_move_the_neck_the_way_the_english_does():
    lying, slump = SPANISH["lying-sciatic-floss"], SPANISH["long-sitting-slump-slider"]
    seated = SPANISH["seated-slump-slider"]
    # Knee straight with the head back or up; knee bent (or toes pointed) with the chin down.
    assert "barbilla hacia el pecho" in lying["instructions"]
    assert (
        "mirar arriba" in seated["instructions"]
        and "barbilla hacia el pecho" in seated["instructions"]
    )
    assert "mientras miras hacia arriba" in slump["instructions"]


def test_spanish_deadlift_and_standing_floss_keep_their_reviewed_rules():
    assert (
        "Baja solo hasta donde la espalda siga recta"
        in SPANISH["slow-lowering-deadlift"]["instructions"]
    )
    floss = SPANISH["standing-sciatic-floss"]
    assert "sujétate a la pared o al respaldo de la silla" in floss["instructions"]
    assert "perder el equilibrio" in floss["stop_if"]
