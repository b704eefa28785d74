"""The load benchmark's table: medians of interleaved rounds, each page as a share of the floor.

Pure functions (no Django, no wrk), so tests/test_bench_report.py can check the arithmetic
and the layout.
"""

import json
import statistics

FLOOR = "floor (bare view)"
# Issue 15: each page's throughput as a share of the floor, at least.
TARGETS = {
    "log a set (POST)": 0.5,
    "today": 0.4,
    "session step (full page)": 0.5,
    "session step (htmx partial)": 0.5,
    "history (a year of logs)": 0.25,
    "program": 0.4,
    "admin patient page": 0.2,
    "admin program page (10 rx)": 0.1,
}
PAGE_WEIGHT_LIMITS = {"first load": 60 * 1024, "htmx step": 6 * 1024}


def parse_wrk(output):
    """The "BENCH {json}" line the Lua scripts print, with req/s and milliseconds added."""
    for line in output.splitlines():
        if line.startswith("BENCH "):
            data = json.loads(line[len("BENCH ") :])
            seconds = data["duration_us"] / 1e6 or 1
            data["rps"] = data["requests"] / seconds
            data["p50_ms"] = data["p50_us"] / 1000
            data["p99_ms"] = data["p99_us"] / 1000
            data["errors"] = sum(data[k] for k in ("connect", "read", "write", "timeout"))
            return data
    raise ValueError("no BENCH line in wrk's output:\n" + output[-2000:])


def floor_before(name):
    """The key of the floor measured just before endpoint `name` in a round (load.py
    --floor-each): a machine whose speed drifts within a round skews each share less."""
    return f"{FLOOR} before {name}"


def summarize(rounds, floor=FLOOR):
    """rounds: [{endpoint: parsed wrk result}], the floor measured in every round.

    Per endpoint: median req/s, p50 and p99 over the rounds, the median of the per-round
    shares (endpoint req/s / the floor's req/s: the floor measured just before it when the
    round has one, else the round's), and non-2xx and socket errors summed over the rounds.
    The floor's own share is 1; its req/s and latencies are over every floor run.
    """
    names = [n for n in rounds[0] if not n.startswith(f"{FLOOR} before ")]
    rows = []
    for name in names:
        runs = [r[name] for r in rounds if name in r]
        if name == floor:
            runs += [v for r in rounds for k, v in r.items() if k.startswith(f"{FLOOR} before ")]
        shares = [
            r[name]["rps"] / base["rps"]
            for r in rounds
            if name in r and (base := r.get(floor_before(name), r[floor]))["rps"]
        ]
        rows.append(
            {
                "endpoint": name,
                "rps": statistics.median(x["rps"] for x in runs),
                "p50_ms": statistics.median(x["p50_ms"] for x in runs),
                "p99_ms": statistics.median(x["p99_ms"] for x in runs),
                "share": statistics.median(shares) if shares else 0.0,
                "shares": shares,
                "app_cpu_ms": _median_of(runs, "app_cpu_ms"),
                "db_cpu_ms": _median_of(runs, "db_cpu_ms"),
                "non2xx": sum(x["non2xx"] for x in runs),
                "errors": sum(x["errors"] for x in runs),
                "runs": len(runs),
            }
        )
    return rows


def _median_of(runs, key):
    values = [x[key] for x in runs if x.get(key) is not None]
    return statistics.median(values) if values else None


def format_table(rows, targets=TARGETS):
    """A Markdown table: endpoint, req/s, p50, p99, share of the floor (target), non-2xx; and
    when measured, the CPU the app's workers and PostgreSQL used per request."""
    cpu = any(row.get("app_cpu_ms") is not None for row in rows)
    head = (
        "| endpoint | req/s | p50 ms | p99 ms | share of floor | target | non-2xx | socket errors |"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if cpu:
        head += " app CPU ms/req | PostgreSQL CPU ms/req |"
        rule += "---:|---:|"
    lines = [head, rule]
    for row in rows:
        target = targets.get(row["endpoint"])
        if target is None:
            mark = ""
        else:
            mark = f">= {target:g}" + ("" if row["share"] >= target else " **missed**")
        lines.append(
            f"| {row['endpoint']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f}"
            f" | {row['share']:.2f} | {mark} | {row['non2xx']} | {row['errors']} |"
            + (f" {_ms(row.get('app_cpu_ms'))} | {_ms(row.get('db_cpu_ms'))} |" if cpu else "")
        )
    return "\n".join(lines)


def _ms(value):
    return "" if value is None else f"{value:.2f}"


def missed(rows, targets=TARGETS):
    return [
        r["endpoint"]
        for r in rows
        if r["endpoint"] in targets and r["share"] < targets[r["endpoint"]]
    ]


def kb(n):
    return f"{n / 1024:.1f} KB"


def format_weights(weights, limits=PAGE_WEIGHT_LIMITS):
    """weights: {"first load": {"total": n, "parts": [(name, bytes)]}, "htmx step": {...}}."""
    lines = []
    for name, data in weights.items():
        limit = limits.get(name)
        verdict = ""
        if limit:
            verdict = f" (limit {kb(limit)}{'' if data['total'] <= limit else ', **over**'})"
        parts = ", ".join(f"{part} {kb(size)}" for part, size in data["parts"])
        lines.append(f"- {name}: {kb(data['total'])}{verdict}: {parts}")
    return "\n".join(lines)
