"""Rep schemes and tempo: the one parser both apps use."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

MAX_REPS = 100
MAX_SETS = 10
MAX_TEMPO_SECONDS = 10  # per phase: a 10 s lower is already a very slow eccentric
MAX_LOAD_KG = 300  # heavier than any home exercise: a slipped digit (9999.9 kg)
MAX_LOAD_LB = 660  # the same load in pounds
# The tempo rule as a regex for CheckConstraints (SQLite and PostgreSQL): 0-10 or X, four times.
# \A and \Z (not ^ and $, which let a trailing newline through in Python) mean the same in both.
TEMPO_PATTERN = r"\A((0?[0-9]|10|[xX])-){3}(0?[0-9]|10|[xX])\Z"
SCHEME_HELP = "Use a number (10), a range (6-8) or one number per set (12,10,8)."
_PART = re.compile(r"^(\d+)(?:-(\d+))?$")
_TEMPO_PHASE = re.compile(r"[0-9]{1,2}|[xX]")


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


def check_sets(sets):
    """Refuse a set count outside 1..MAX_SETS, before anything is built for that many sets."""
    if not isinstance(sets, int) or not 1 <= sets <= MAX_SETS:
        raise ValidationError(
            "Give 1 to %(max)d sets.", code="sets_out_of_range", params={"max": MAX_SETS}
        )


def parse_reps(scheme, sets):
    """Return one (low, high) rep target per set for a scheme like 10, 6-8 or 12,10,8."""
    check_sets(sets)
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
    if len(phases) != 4 or not all(_TEMPO_PHASE.fullmatch(p) for p in phases):
        raise ValidationError(
            "Tempo needs four phases, lower-pause-lift-pause in seconds, e.g. 4-0-1-0 (X = fast).",
            code="bad_tempo",
        )
    if any(p.isdigit() and int(p) > MAX_TEMPO_SECONDS for p in phases):
        raise ValidationError(
            "Each tempo phase is at most %(max)d seconds, e.g. 4-0-1-0.",
            code="tempo_too_slow",
            params={"max": MAX_TEMPO_SECONDS},
        )


def tempo_check(field):
    """A CheckConstraint condition: field holds no tempo or validate_tempo's kind of tempo."""
    return Q(**{field: ""}) | Q(**{f"{field}__regex": TEMPO_PATTERN})


def load_check():
    """A CheckConstraint condition: no load amount, or up to MAX_LOAD_KG kg or MAX_LOAD_LB lb."""
    in_range = Q(load_amount__gte=0, load_amount__lte=MAX_LOAD_LB)
    kg_limit = ~Q(load_kind="kg") | Q(load_amount__lte=MAX_LOAD_KG)
    return Q(load_amount__isnull=True) | (in_range & kg_limit)


def tempo_phases(value):
    """Return the four tempo phases as ints (None for X), or None when there is no tempo."""
    if not value:
        return None
    return [None if p.lower() == "x" else int(p) for p in value.split("-")]


# What the pages show: built once when a prescription is saved, from plain values -----------

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def safe_targets(scheme, sets):
    """parse_reps, or [] when the scheme can't be read for that many sets (never raises)."""
    try:
        check_sets(sets)
        if not scheme:
            return [None] * sets
        return parse_reps(scheme, sets)
    except ValidationError:
        return []


def volume_text(sets, targets, hold_seconds):
    """'3 sets of 10 reps', '3 sets: 12, 10, 8 reps, hold 5 s' or '2 holds of 30 s'."""
    if not targets or targets[0] is None:
        return f"{sets} {'hold' if sets == 1 else 'holds'} of {hold_seconds} s"
    labels = [format_target(*t) for t in targets]
    count = len(labels)
    if len(set(labels)) == 1:
        text = f"{count} {'set' if count == 1 else 'sets'} of {labels[0]} reps"
    else:
        text = f"{count} sets: {', '.join(labels)} reps"
    return text + (f", hold {hold_seconds} s" if hold_seconds else "")


def load_text(kind, amount, text):
    """'bodyweight', '8 kg', 'red band', 'partner push (gentle)' or the free text."""
    number = f"{amount.normalize():f}" if amount else ""
    return {
        "bodyweight": "bodyweight",
        "kg": f"{number} kg",
        "lb": f"{number} lb",
        "band": f"{text} band",
        "partner": "partner push" + (f" ({text})" if text else ""),
        "other": text,
    }.get(kind, text)


def tempo_text(tempo):
    if not tempo:
        return ""
    lower = tempo.split("-")[0]
    return "lower fast" if lower.lower() == "x" else f"lower over {lower} s"


def frequency_text(frequency, count, weekdays=()):
    if frequency == "daily":
        return "once a day" if count == 1 else ("twice a day" if count == 2 else f"{count}×/day")
    if frequency == "every_n_days":
        if count == 1:
            return "every day"
        return "every other day" if count == 2 else f"every {count} days"
    if frequency == "per_week":
        return f"{count}×/week"
    return " ".join(WEEKDAY_NAMES[d] for d in weekdays if 0 <= d < len(WEEKDAY_NAMES))


def dose_line(*, volume, side, tempo, load, effort, frequency):
    """One line: '3 sets: 12, 10, 8 reps · lower over 4 s · bodyweight · effort 6/10 · 3×/week'."""
    if side == "each":
        volume += " each side"
    elif side in ("left", "right"):
        volume += f" ({side} leg)"
    effort_text = f"effort {effort}/10" if effort is not None else ""
    return " · ".join(p for p in (volume, tempo, load, effort_text, frequency) if p)


def describe(row, weekdays):
    """(targets, dose line) for any object with a prescription's dose fields (never raises)."""
    targets = safe_targets(row.reps, row.sets)
    line = dose_line(
        volume=volume_text(len(targets) or row.sets, targets, row.hold_seconds),
        side=row.side,
        tempo=tempo_text(row.tempo),
        load=load_text(row.load_kind, row.load_amount, row.load_text),
        effort=row.effort,
        frequency=frequency_text(row.frequency, row.frequency_count, weekdays),
    )
    return [list(t) if t else None for t in targets], line[:200]


# What the patient reads (the translated dose line) is creekside/dose_words.py.


# The next dose: a proposal the therapist edits before applying (docs/clinical.md §9.8) -------

LOAD_STEP = 0.05  # progress: +5 % load, inside ACSM 2009's 2-10 % (docs/clinical.md §4)
LOAD_BACK = 0.10  # regress: -10 % load
REP_STEP = 2
HOLD_STEP = 5
ADD_SET_AT = 15  # beyond 15 reps a set, add a set rather than more reps
MAX_HOLD = 300


def scheme_text(targets):
    """The rep scheme for targets: '10', '6-8' or '12,10,8'."""
    labels = [format_target(*t) for t in targets]
    return labels[0] if len(set(labels)) == 1 else ",".join(labels)


def _round_half(value):
    return max(0.5, round(value * 2) / 2)


def next_dose(verdict, *, sets, targets, hold_seconds, load_kind, load_amount):
    """Propose sets, reps, hold_seconds and load_amount after a progress/hold/regress verdict."""
    dose = {
        "sets": sets,
        "reps": scheme_text(targets) if targets and targets[0] else "",
        "hold_seconds": hold_seconds,
        "load_amount": load_amount,
    }
    if verdict not in ("progress", "regress"):
        return dose
    up = verdict == "progress"
    if load_kind in ("kg", "lb") and load_amount:
        factor = 1 + LOAD_STEP if up else 1 - LOAD_BACK
        amount = _round_half(float(load_amount) * factor)
        if up and amount <= float(load_amount):
            amount = float(load_amount) + 0.5
        dose["load_amount"] = type(load_amount)(str(amount))
        return dose
    if not targets or targets[0] is None:
        change = HOLD_STEP if up else -HOLD_STEP
        dose["hold_seconds"] = min(MAX_HOLD, max(HOLD_STEP, (hold_seconds or 0) + change))
        return dose
    highest = max(high for _, high in targets)
    if up and highest + REP_STEP > ADD_SET_AT and sets < MAX_SETS:
        dose["sets"] = sets + 1
        dose["reps"] = (
            scheme_text([targets[-1]] * (sets + 1)) if len(set(targets)) > 1 else dose["reps"]
        )
        return dose
    if not up and highest <= REP_STEP + 1 and sets > 1:
        dose["sets"] = sets - 1
        dose["reps"] = scheme_text(targets[: sets - 1])
        return dose
    step = REP_STEP if up else -REP_STEP
    dose["reps"] = scheme_text(
        [(max(1, low + step), min(MAX_REPS, max(1, high + step))) for low, high in targets]
    )
    return dose
