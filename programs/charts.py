"""Server-rendered SVG charts: coordinates only, the templates draw them."""

CHART_W, CHART_H, CHART_PAD = 320, 170, 28


def pain_effort_chart(sessions):
    """Coordinates for the pain and effort lines (0-10) of the last 30 finished sessions."""
    sessions = sessions[-30:]
    if not sessions:
        return None
    step = (CHART_W - 2 * CHART_PAD) / max(len(sessions) - 1, 1)

    def y(value):
        return round(CHART_H - CHART_PAD - value * (CHART_H - 2 * CHART_PAD) / 10, 1)

    points = []
    for i, session in enumerate(sessions):
        x = round(CHART_PAD + i * step, 1)
        effort = y(session.effort or 0)
        points.append(
            {
                "x": x,
                "pain": y(session.pain_during),
                "effort": effort,
                "square": (x - 4, effort - 4),
            }
        )
    return {
        "w": CHART_W,
        "h": CHART_H,
        "points": points,
        "pain_line": " ".join(f"{p['x']},{p['pain']}" for p in points),
        "effort_line": " ".join(f"{p['x']},{p['effort']}" for p in points),
        "grid": [{"value": v, "y": y(v)} for v in (0, 5, 10)],
        "left": CHART_PAD,
        "label_x": CHART_PAD - 6,
        "right": CHART_W - CHART_PAD,
        "first": sessions[0].date,
        "last": sessions[-1].date,
    }
