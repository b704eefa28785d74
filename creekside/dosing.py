"""Rep schemes and tempo: the one parser both apps use."""

import re

from django.core.exceptions import ValidationError

MAX_REPS = 100
SCHEME_HELP = "Use a number (10), a range (6-8) or one number per set (12,10,8)."
_PART = re.compile(r"^(\d+)(?:-(\d+))?$")
_TEMPO_PHASE = re.compile(r"^(\d{1,2}|[xX])$")


def _parse_part(part):
    if not part:
        raise ValidationError(
            "There is an empty entry between commas. " + SCHEME_HELP, code="bad_reps"
        )
    match = _PART.match(part)
    if not match:
        raise ValidationError(
            "“%(part)s” is not a rep count. " + SCHEME_HELP, code="bad_reps", params={"part": part}
        )
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if low < 1:
        raise ValidationError("Reps must be at least 1.", code="reps_too_low")
    if high > MAX_REPS:
        raise ValidationError(
            "At most %(max)d reps in a set.", code="reps_too_high", params={"max": MAX_REPS}
        )
    if low > high:
        raise ValidationError(
            "The range %(part)s goes down; put the smaller number first (%(fix)s).",
            code="reps_range_reversed",
            params={"part": part, "fix": f"{high}-{low}"},
        )
    return (low, high)


def parse_reps(scheme, sets):
    """Return one (low, high) rep target per set for a scheme like 10, 6-8 or 12,10,8."""
    text = re.sub(r"\s+", "", scheme or "").replace("–", "-")
    if not text:
        raise ValidationError("Enter the reps. " + SCHEME_HELP, code="reps_missing")
    parts = text.split(",")
    targets = [_parse_part(part) for part in parts]
    if len(targets) == 1:
        return targets * sets
    if len(targets) != sets:
        raise ValidationError(
            "The scheme lists %(listed)d sets (%(scheme)s) but the prescription has %(sets)d. "
            "Give one number per set, or a single number for all sets.",
            code="reps_sets_mismatch",
            params={"listed": len(targets), "scheme": text, "sets": sets},
        )
    return targets


def format_target(low, high):
    return str(low) if low == high else f"{low}-{high}"


def validate_tempo(value):
    """Check a tempo of four phases, lower-pause-lift-pause, e.g. 4-0-1-0 (X = fast)."""
    if not value:
        return
    phases = value.split("-")
    if len(phases) != 4 or not all(_TEMPO_PHASE.match(p) for p in phases):
        raise ValidationError(
            "Tempo needs four phases, lower-pause-lift-pause in seconds, e.g. 4-0-1-0 (X = fast).",
            code="bad_tempo",
        )


def tempo_phases(value):
    """Return the four tempo phases as ints (None for X), or None when there is no tempo."""
    if not value:
        return None
    return [None if p.lower() == "x" else int(p) for p in value.split("-")]
