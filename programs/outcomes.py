"""Outcome measures as plain values: LEFS and PSFS scores, change from the first score, the chart.

No queries and no ORM imports, like programs.schedule. Measures come in as any objects with
`date`, `kind`, `score`, `left_degrees` and `right_degrees` (OutcomeMeasure rows, or test doubles).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

LEFS, PSFS, AKE, SLR = "lefs", "psfs", "ake", "slr"  # OutcomeMeasure.Kind values
QUESTIONNAIRES = (LEFS, PSFS)
ANGLES = (AKE, SLR)

# LEFS: Binkley JM, Stratford PW, Lott SA, Riddle DL. The Lower Extremity Functional Scale.
# Phys Ther 1999;79:371-383 (docs/clinical.md §6). The 20 activities in Binkley's order, worded
# plainly for patients; the meaning and the 0-4 answers are the published ones. The Spanish in
# locale/es is a plain-language translation, not the validated Spanish LEFS (Cruz-Díaz et al.
# 2014): clinics that hold a licence for it should use its wording (docs/clinical.md §6).
LEFS_INTRO = _(
    "Because of your leg problem, how hard are these things for you today? "
    "If you don't do one of them, think about how hard it would be."
)
LEFS_ITEMS = (
    _("Your usual work, housework or school activities"),
    _("Your usual hobbies, sports or things you do for fun"),
    _("Getting into or out of the bath"),
    _("Walking between rooms"),
    _("Putting on your shoes or socks"),
    _("Squatting (bending your knees to get down low)"),
    _("Lifting something from the floor, like a bag of shopping"),
    _("Light jobs around your home"),
    _("Heavy jobs around your home"),
    _("Getting into or out of a car"),
    _("Walking 2 blocks (a few minutes' walk)"),
    _("Walking a mile (about 1.5 km)"),
    _("Going up or down 10 stairs (about one flight)"),
    _("Standing for 1 hour"),
    _("Sitting for 1 hour"),
    _("Running on flat ground"),
    _("Running on uneven ground"),
    _("Making sharp turns while running fast"),
    _("Hopping"),
    _("Rolling over in bed"),
)
LEFS_ANSWERS = (
    (0, _("Extreme difficulty or unable")),
    (1, _("Quite a bit of difficulty")),
    (2, _("Moderate difficulty")),
    (3, _("A little bit of difficulty")),
    (4, _("No difficulty")),
)
LEFS_ITEM_MAX = 4
LEFS_MAX = len(LEFS_ITEMS) * LEFS_ITEM_MAX  # 80
LEFS_MIC = 9  # minimal important change, and the MDC (90 % CI), Binkley 1999

# PSFS: Stratford et al. 1995 (docs/clinical.md §6). Up to 5 activities, each 0-10; score = mean.
PSFS_INTRO = _(
    "Think of activities you find hard because of your leg problem. "
    "For each one, choose how well you can do it today."
)
PSFS_MAX_ACTIVITIES = 5
PSFS_ITEM_MAX = 10
PSFS_WORDS = {0: _("Unable to do it"), 10: _("Able to do it as well as before the problem")}
PSFS_MIC = Decimal(2)  # on the mean; about 3 for a single activity [GK], docs/clinical.md §9.9

ANGLE_MAX = 180  # no joint shows more; catches typing slips such as 450
MIC = {LEFS: LEFS_MIC, PSFS: PSFS_MIC}
SCALE_MAX = {LEFS: LEFS_MAX, PSFS: PSFS_ITEM_MAX}
LABELS = {
    LEFS: "LEFS",
    PSFS: "PSFS",
    AKE: "Active knee extension",
    SLR: "Straight-leg raise",
}
# Higher is better for the questionnaires and the leg raise; AKE records the angle still short of
# a straight knee, so there lower is better.
HIGHER_IS_BETTER = {LEFS: True, PSFS: True, AKE: False, SLR: True}


def lefs_problem(answers) -> str | None:
    """Why these are not 20 LEFS answers each 0-4 (None for a missing one), or None."""
    answers = list(answers) if isinstance(answers, list | tuple) else None
    if answers is None or len(answers) != len(LEFS_ITEMS):
        return f"LEFS has {len(LEFS_ITEMS)} answers, not {len(answers or [])}."
    missing = [str(n) for n, a in enumerate(answers, start=1) if a is None]
    if missing:
        return f"LEFS needs all 20 answers; missing: item {', '.join(missing)}."
    if any(type(a) is not int or not 0 <= a <= LEFS_ITEM_MAX for a in answers):
        return "Each LEFS answer is a whole number from 0 to 4."
    return None


def lefs_total(answers: Sequence[int]) -> int:
    """Return the LEFS total (0-80) of 20 answers each 0-4; raise ValueError otherwise."""
    problem = lefs_problem(answers)
    if problem:
        raise ValueError(problem)
    return sum(answers)


def psfs_score(scores: Sequence[int]) -> Decimal:
    """Return the PSFS score: the mean of 1-5 ratings each 0-10, to one decimal place."""
    scores = list(scores)
    if not 1 <= len(scores) <= PSFS_MAX_ACTIVITIES:
        raise ValueError("PSFS rates from 1 to 5 activities.")
    if any(type(s) is not int or not 0 <= s <= PSFS_ITEM_MAX for s in scores):
        raise ValueError("Each PSFS rating is a whole number from 0 to 10.")
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A change from the first score: its size, whether it is better, and whether it matters."""

    value: Decimal | int
    better: bool | None  # None when there is no change
    important: bool  # at or past the minimal important change (LEFS 9, PSFS 2)

    @property
    def text(self):
        sign = "+" if self.value > 0 else "−" if self.value < 0 else "±"
        return f"{sign}{number_text(abs(self.value))}"


def number_text(value) -> str:
    """52 for 52.0, 6.4 for 6.4: scores read as people write them."""
    return str(int(value)) if value == int(value) else str(value)


def change(kind: str, first, latest) -> Change | None:
    """The change from first to latest; importance only where the measure has an agreed size."""
    if first is None or latest is None:
        return None
    value = latest - first
    better = None if value == 0 else (value > 0) == HIGHER_IS_BETTER[kind]
    mic = MIC.get(kind)
    return Change(value, better, mic is not None and abs(value) >= mic)


def score_text(kind: str, score=None, left=None, right=None) -> str:
    """'52/80', '6.4/10', 'L 30°, R 25°'."""
    if kind in QUESTIONNAIRES:
        return "–" if score is None else f"{number_text(score)}/{SCALE_MAX[kind]}"
    legs = [f"{side} {value}°" for side, value in (("L", left), ("R", right)) if value is not None]
    return ", ".join(legs) or "–"


@dataclass(frozen=True)
class Row:
    """One line of the outcomes table."""

    measure: object
    date: datetime.date
    kind: str
    label: str
    score: str
    change: str  # "" for a first score
    important: bool
    better: bool | None


def table_rows(measures: Iterable) -> list[Row]:
    """Every measure, oldest first, with its change from the first score of the same kind."""
    first = {}  # (kind, value name) -> the first value recorded
    rows = []
    for m in sorted(measures, key=lambda m: (m.date, m.kind)):
        delta, parts = None, []
        if m.kind in QUESTIONNAIRES:
            values = [("", m.score)]
        else:
            values = [("L ", m.left_degrees), ("R ", m.right_degrees)]
        for side, value in values:
            if value is None:
                continue
            if (m.kind, side) not in first:
                first[(m.kind, side)] = value
                continue
            delta = change(m.kind, first[(m.kind, side)], value)
            parts.append(f"{side}{delta.text}{'' if m.kind in QUESTIONNAIRES else '°'}")
        rows.append(
            Row(
                measure=m,
                date=m.date,
                kind=m.kind,
                label=LABELS[m.kind],
                score=score_text(m.kind, m.score, m.left_degrees, m.right_degrees),
                change=", ".join(parts),
                important=bool(m.kind in QUESTIONNAIRES and delta and delta.important),
                better=delta.better if delta and m.kind in QUESTIONNAIRES else None,
            )
        )
    return rows


# The chart: one small SVG per measure with data, x by date, y on the measure's own scale. -----

CHART_W, CHART_H = 480, 180
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 20, 14, 26
ANGLE_TOP = {AKE: 90, SLR: 120}  # the usual range; the axis grows if a value is above it


def charts(measures: Iterable) -> list[dict]:
    """Chart contexts, one per kind measured, in LEFS, PSFS, AKE, SLR order."""
    by_kind = {}
    for m in sorted(measures, key=lambda m: (m.date, m.kind)):
        by_kind.setdefault(m.kind, []).append(m)
    return [_chart(kind, by_kind[kind]) for kind in (LEFS, PSFS, AKE, SLR) if kind in by_kind]


def _chart(kind, measures):
    first_day, last_day = measures[0].date, measures[-1].date
    span = max((last_day - first_day).days, 1)
    inner_w = CHART_W - PAD_LEFT - PAD_RIGHT
    inner_h = CHART_H - PAD_TOP - PAD_BOTTOM
    if kind in QUESTIONNAIRES:
        series = [("Score", [(m.date, m.score) for m in measures if m.score is not None])]
        top = SCALE_MAX[kind]
    else:
        series = [
            ("Left", [(m.date, m.left_degrees) for m in measures if m.left_degrees is not None]),
            ("Right", [(m.date, m.right_degrees) for m in measures if m.right_degrees is not None]),
        ]
        values = [v for _, points in series for _, v in points]
        top = max(ANGLE_TOP[kind], -(-max(values, default=0) // 10) * 10)

    def x(day):
        if len(measures) == 1:
            return PAD_LEFT + inner_w / 2
        return round(PAD_LEFT + (day - first_day).days * inner_w / span, 1)

    def y(value):
        clipped = min(max(float(value), 0), top)
        return round(CHART_H - PAD_BOTTOM - clipped * inner_h / top, 1)

    lines = []
    for index, (name, points) in enumerate(series):
        if not points:
            continue
        base = points[0][1]
        dots = []
        for day, value in points:
            delta = change(kind, base, value)
            dots.append(
                {
                    "x": x(day),
                    "y": y(value),
                    "value": value,
                    "date": day,
                    "important": delta.important,
                }
            )
        lines.append(
            {
                "name": name,
                "style": "solid" if index == 0 else "dashed",
                "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "dots": dots,
            }
        )
    chart = {
        "kind": kind,
        "title": _chart_title(kind),
        "w": CHART_W,
        "h": CHART_H,
        "left": PAD_LEFT,
        "right": CHART_W - PAD_RIGHT,
        "inner_w": inner_w,
        "label_x": PAD_LEFT - 6,
        "date_y": CHART_H - 6,
        "grid": [{"value": v, "y": y(v)} for v in (0, top // 2, top)],
        "lines": lines,
        "first": first_day,
        "last": last_day,
        "band": None,
    }
    if kind in MIC and lines:
        base = lines[0]["dots"][0]["value"]
        mic = MIC[kind]
        high, low = y(min(base + mic, top)), y(max(base - mic, 0))
        chart["band"] = {
            "y": high,
            "height": round(low - high, 1),
            "line_y": y(base + mic) if base + mic <= top else None,
            "mic": mic,
            "text": (
                f"Within {number_text(mic)} of the first score ({number_text(base)}): "
                "may be measurement error"
            ),
        }
    for dot in (d for line in lines for d in line["dots"]):
        dot["label"] = f"{dot['date']:%d %b %Y}: {number_text(dot['value'])}"
    return chart


def _chart_title(kind):
    if kind == LEFS:
        return f"LEFS (0–{LEFS_MAX}, higher is better; important change {LEFS_MIC} points)"
    if kind == PSFS:
        return f"PSFS mean (0–10, higher is better; important change {PSFS_MIC} points)"
    if kind == AKE:
        return "Active knee extension (degrees short of straight, lower is better)"
    return "Straight-leg raise (degrees of hip flexion, higher is better)"


def summary(measures: Iterable) -> dict:
    """What the outcomes panel shows: the charts and the table, from one list of measures."""
    measures = list(measures)
    return {"charts": charts(measures), "rows": table_rows(measures)}
