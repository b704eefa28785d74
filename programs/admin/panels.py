"""The program page's panels: the mix of kinds of work, and the schedule preview for any weeks."""

import re
from collections import Counter

from exercises.models import Exercise
from programs.models import Program
from programs.schedule import shifted, week_span_text

PREVIEW_DAYS = 14
PREVIEW_MAX_WEEKS = 12  # a chosen span of weeks is cut to this many, to keep the page light


def program_panels(program, today, weeks=""):
    """Context for the mix panel and the schedule preview (the next 14 days, or weeks "3-5")."""
    prescriptions = list(program.prescriptions.select_related("exercise"))
    ranges = program.week_ranges(prescriptions)
    span = parse_weeks(weeks)
    mix_rows = []
    for first, last in ranges:
        shares, volume = program.mix(first, prescriptions)
        mix_rows.append(
            {
                "weeks": week_span_text(first, last).capitalize(),
                "shares": shares,
                "volume": round(volume),
            }
        )
    return {
        "prescription_count": len(prescriptions),
        "mix_rows": mix_rows,
        "mix_warnings": program.mix_warnings(prescriptions),
        "mix_absent": [
            kind.label.lower()
            for kind in Exercise.Kind
            if all(p.exercise.kind != kind for p in prescriptions)
        ],
        "preview": _preview(program, prescriptions, today, span),
        "preview_note": _preview_note(program, today, span),
        "preview_title": week_span_text(*span).capitalize() if span else "Next 14 days",
        "preview_weeks": weeks if span else "",
        "preview_error": bool(weeks) and span is None,
        "preview_links": [
            (f"{first}-{last or first + 3}", week_span_text(first, last or first + 3))
            for first, last in ranges
        ],
    }


def parse_weeks(text):
    """(first, last) program weeks from "3" or "3-5", at most PREVIEW_MAX_WEEKS; else None."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?", text or "")
    if not match:
        return None
    first, last = int(match[1]), int(match[2] or match[1])
    if first < 1 or last < first:
        return None
    return first, min(last, first + PREVIEW_MAX_WEEKS - 1)


def _preview(program, prescriptions, today, span=None):
    if program.start_date is None:
        return []
    if span:
        start = shifted(program.start_date, weeks=span[0] - 1)
        end = shifted(program.start_date, weeks=span[1], days=-1)
    else:
        start = max(today, program.start_date)
        end = shifted(start, days=PREVIEW_DAYS - 1)  # a mistyped 9999-12-31 is refused, not a 500
    sessions = program.planned_sessions(start, end, prescriptions)
    per_day = Counter(session.date for session in sessions)
    return [
        {
            "date": session.date,
            "label": f"Session {session.slot} of {per_day[session.date]}"
            if per_day[session.date] > 1
            else "Session",
            "week": session.week,
            "items": session.items,
        }
        for session in sessions
    ]


def _preview_note(program, today, span=None):
    """Why the previewed days hold no session (shown only when they don't)."""
    if program.is_template:
        return (
            "This is a template: it has no patient and no start date. Use “Start for a "
            "patient…” on the program list to give a patient their own copy."
        )
    state, since = program.state_on(today)
    if state == "draft":
        return "Draft: the patient sees no sessions until you set the status to Active."
    if state == "paused":
        return f"Paused since {since:%-d %b %Y}: no sessions are planned."
    if program.status == Program.Status.COMPLETED:
        return f"Completed on {program.status_since:%-d %b %Y}: no sessions are planned."
    if state == "finished":
        return f"The program ended on {since:%-d %b %Y}."
    days = week_span_text(*span) if span else "the next 14 days"
    return f"No prescription is due in {days}: check the week ranges and frequencies."
