"""What the patient reads: a prescription's dose in plain words, in the patient's language.

creekside.dosing keeps the therapist's shorthand (admin, exports: "3 × 10, hold 5 s") and still
offers these functions under their old names. Each sentence is one whole msgid where it can be,
with ngettext for counts, so a translator can reorder it (docs/translations.md).
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

from creekside.dosing import load_text, safe_targets, tempo_phases

WEEKDAY_PLURALS = (
    pgettext_lazy("on these days", "Mondays"),
    pgettext_lazy("on these days", "Tuesdays"),
    pgettext_lazy("on these days", "Wednesdays"),
    pgettext_lazy("on these days", "Thursdays"),
    pgettext_lazy("on these days", "Fridays"),
    pgettext_lazy("on these days", "Saturdays"),
    pgettext_lazy("on these days", "Sundays"),
)
SIDE_WORDS = {
    "each": pgettext_lazy("dose", "on each leg"),
    "left": pgettext_lazy("dose", "with your left leg"),
    "right": pgettext_lazy("dose", "with your right leg"),
}
# Band colours as therapists usually type them; any other text is shown as typed.
BAND_COLOURS = {
    "yellow": pgettext_lazy("band colour", "yellow"),
    "red": pgettext_lazy("band colour", "red"),
    "green": pgettext_lazy("band colour", "green"),
    "blue": pgettext_lazy("band colour", "blue"),
    "black": pgettext_lazy("band colour", "black"),
    "silver": pgettext_lazy("band colour", "silver"),
    "gold": pgettext_lazy("band colour", "gold"),
    "grey": pgettext_lazy("band colour", "grey"),
    "gray": pgettext_lazy("band colour", "grey"),
    "purple": pgettext_lazy("band colour", "purple"),
    "orange": pgettext_lazy("band colour", "orange"),
    "light": pgettext_lazy("band colour", "light"),
    "medium": pgettext_lazy("band colour", "medium"),
    "heavy": pgettext_lazy("band colour", "heavy"),
}
_WEIGHT = re.compile(r"([\d.]+) (kg|lb)")


def seconds_text(n):
    return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}


def _and_list(words):
    words = [str(w) for w in words]
    if len(words) == 1:
        return words[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _range(low, high):
    return str(low) if low == high else gettext("%(low)s to %(high)s") % {"low": low, "high": high}


def patient_reps(low, high):
    """'10 reps', '6 to 8 reps', '1 rep'."""
    if low == high:
        return ngettext("%(n)s rep", "%(n)s reps", low) % {"n": low}
    return gettext("%(low)s to %(high)s reps") % {"low": low, "high": high}


def patient_volume(sets, targets, hold_seconds, side="both"):
    """'3 sets of 10 reps', '2 sets of 8 reps on each leg', '2 holds of 30 seconds'."""
    leg = str(SIDE_WORDS.get(side, ""))
    if not targets or targets[0] is None:
        holds = ngettext("%(n)s hold of %(time)s", "%(n)s holds of %(time)s", sets)
        text = holds % {"n": sets, "time": seconds_text(hold_seconds or 0)}
        return " ".join(p for p in (text, leg) if p)
    labels = [patient_reps(*t) for t in targets]
    count = len(labels)
    if len(set(labels)) == 1:
        text = ngettext("%(n)s set of %(reps)s", "%(n)s sets of %(reps)s", count)
        text %= {"n": count, "reps": labels[0]}
    else:
        then = pgettext("between the sets of a dose", ", then ")
        numbers = then.join(_range(*t) for t in targets)
        text = gettext("%(n)s sets: %(numbers)s reps") % {"n": count, "numbers": numbers}
    text = " ".join(p for p in (text, leg) if p)
    if hold_seconds:
        text += gettext(", holding each rep for %(time)s") % {"time": seconds_text(hold_seconds)}
    return text


def patient_tempo(tempo):
    """'Lower slowly for 4 seconds', with any pause or slow lift the tempo asks for."""
    try:
        phases = tempo_phases(tempo)
    except ValueError:  # a stored tempo that no longer reads: say nothing rather than fail
        return ""
    if not phases or len(phases) != 4:
        return ""
    lower, bottom, lift, top = phases
    parts = []
    if top:
        parts.append(gettext("hold for %(time)s before you lower") % {"time": seconds_text(top)})
    if lower:
        parts.append(gettext("lower slowly for %(time)s") % {"time": seconds_text(lower)})
    if bottom:
        parts.append(gettext("pause for %(time)s") % {"time": seconds_text(bottom)})
    if lift and lift > 1:
        parts.append(gettext("lift for %(time)s") % {"time": seconds_text(lift)})
    text = pgettext("between the phases of a rep", ", then ").join(parts)
    return text[:1].upper() + text[1:]


def weight_text(load):
    """'8 kg' or '2,5 kg' (the decimal mark of the language) from load_text's '2.5 kg'."""
    match = _WEIGHT.fullmatch((load or "").strip())
    if not match:
        return load
    try:
        amount = Decimal(match[1])
    except InvalidOperation:
        return load
    return f"{number_format(amount)} {match[2]}"


def patient_load(load):
    """'Use the red band' or 'Use 8 kg' from a load as load_text() shows it; '' for bodyweight."""
    load = (load or "").strip()
    if load in ("", "bodyweight"):
        return ""
    if load.endswith(" band"):
        colour = load.removesuffix(" band")
        colour = str(BAND_COLOURS.get(colour.lower(), colour))
        return gettext("Use the %(colour)s band") % {"colour": colour}
    if _WEIGHT.fullmatch(load):
        return gettext("Use %(weight)s") % {"weight": weight_text(load)}
    if load.startswith("partner push"):
        return gettext("A helper pushes") + load.removeprefix("partner push")
    return gettext("Use: %(load)s") % {"load": load}


def load_name(load):
    """The load itself in the patient's words: '2,5 kg', 'red band' in their language."""
    load = (load or "").strip()
    if load.endswith(" band"):
        colour = load.removesuffix(" band")
        colour = str(BAND_COLOURS.get(colour.lower(), colour))
        return gettext("the %(colour)s band") % {"colour": colour}
    if load.startswith("partner push"):
        return gettext("a helper's push") + load.removeprefix("partner push")
    return weight_text(load)


def patient_effort(effort):
    """'How hard: about 4 out of 10' (the modified Borg CR10 the therapist set)."""
    if effort is None:
        return ""
    return gettext("How hard: about %(n)s out of 10") % {"n": effort}


def patient_frequency(frequency, count, weekdays=()):
    """'3 times a week', 'Twice a day', 'Every other day', 'On Mondays and Thursdays'."""
    if frequency in ("daily", "per_week"):
        if frequency == "daily" and count == 1:
            return gettext("Every day")
        if frequency == "daily":
            many = ngettext("Once a day", "%(n)s times a day", count)
            return gettext("Twice a day") if count == 2 else many % {"n": count}
        many = ngettext("Once a week", "%(n)s times a week", count)
        return gettext("Twice a week") if count == 2 else many % {"n": count}
    if frequency == "every_n_days":
        if count == 1:
            return gettext("Every day")
        if count == 2:
            return gettext("Every other day")
        return gettext("Every %(n)s days") % {"n": count}
    days = [WEEKDAY_PLURALS[d] for d in sorted(set(weekdays)) if 0 <= d < len(WEEKDAY_PLURALS)]
    if len(days) == len(WEEKDAY_PLURALS):
        return gettext("Every day")
    return gettext("On %(days)s") % {"days": _and_list(days)} if days else ""


def patient_dose(row, weekdays=(), frequency=True):
    """A prescription's dose as short patient sentences, one a line (never raises).

    row is anything with a prescription's dose fields, as for dosing.describe().
    """
    targets = safe_targets(row.reps, row.sets)
    lines = [
        patient_volume(len(targets) or row.sets, targets, row.hold_seconds, row.side),
        patient_tempo(row.tempo),
        patient_load(load_text(row.load_kind, row.load_amount, row.load_text)),
        patient_effort(row.effort),
        patient_frequency(row.frequency, row.frequency_count, weekdays) if frequency else "",
    ]
    return [line for line in lines if line]


def step_target(step, reps):
    """The session step's target as HTML: 'Hold for <strong>30 seconds</strong>.' or the reps."""
    if step.is_hold:
        return format_html(
            gettext("Hold for <strong>{time}</strong>."), time=seconds_text(step.target_seconds)
        )
    if step.target_seconds:
        return format_html(
            gettext("Do <strong>{reps}</strong>, holding each for {time}."),
            reps=reps,
            time=seconds_text(step.target_seconds),
        )
    return format_html(gettext("Do <strong>{reps}</strong>."), reps=reps)
