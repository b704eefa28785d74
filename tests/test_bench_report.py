"""The load benchmark's arithmetic and table (benchmarks/report.py); no wrk, no server."""

import pytest

from benchmarks import report


def wrk_line(requests, p50_us, p99_us, non2xx=0, timeout=0, seconds=10):
    return (
        "Running 10s test @ http://127.0.0.1:1/\n"
        f'BENCH {{"requests": {requests}, "duration_us": {seconds * 1_000_000}, "bytes": 1, '
        f'"p50_us": {p50_us}, "p99_us": {p99_us}, "non2xx": {non2xx}, "connect": 0, '
        f'"read": 0, "write": 0, "timeout": {timeout}, "spare": 0}}\n'
    )


def test_parse_wrk_adds_rate_and_milliseconds():
    result = report.parse_wrk(wrk_line(5000, 1500, 9000, non2xx=2, timeout=1))
    assert result["rps"] == 500
    assert (result["p50_ms"], result["p99_ms"]) == (1.5, 9.0)
    assert (result["non2xx"], result["errors"]) == (2, 1)


def test_parse_wrk_without_a_bench_line_says_so():
    with pytest.raises(ValueError, match="no BENCH line"):
        report.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_summarize_takes_medians_and_shares_against_each_rounds_floor():
    def round_(floor, today, p50):
        return {
            report.FLOOR: report.parse_wrk(wrk_line(floor * 10, 1000, 2000)),
            "today": report.parse_wrk(wrk_line(today * 10, p50, p50 * 2, non2xx=1)),
        }

    # Round 2 is slow for both (a busy machine): the share stays 0.5.
    rows = report.summarize(
        [round_(1000, 500, 10_000), round_(400, 200, 30_000), round_(800, 400, 20_000)]
    )
    floor, today = rows
    assert floor["share"] == 1
    assert today["rps"] == 400
    assert today["share"] == pytest.approx(0.5)
    assert today["p50_ms"] == 20
    assert today["non2xx"] == 3
    assert today["runs"] == 3


def test_table_marks_a_missed_target_and_lists_non_2xx():
    rows = [
        {"endpoint": report.FLOOR, "rps": 1000, "p50_ms": 2, "p99_ms": 5, "share": 1.0, "non2xx": 0, "errors": 0},
        {"endpoint": "today", "rps": 300, "p50_ms": 20, "p99_ms": 48.25, "share": 0.3, "non2xx": 4, "errors": 0},
        {"endpoint": "program", "rps": 450, "p50_ms": 9, "p99_ms": 30, "share": 0.45, "non2xx": 0, "errors": 1},
    ]  # fmt: skip
    lines = report.format_table(rows).splitlines()
    assert lines[0].startswith("| endpoint | req/s | p50 ms | p99 ms | share of floor |")
    assert lines[2] == "| floor (bare view) | 1000 | 2.0 | 5.0 | 1.00 |  | 0 | 0 |"
    assert lines[3] == "| today | 300 | 20.0 | 48.2 | 0.30 | >= 0.4 **missed** | 4 | 0 |"
    assert lines[4] == "| program | 450 | 9.0 | 30.0 | 0.45 | >= 0.4 | 0 | 1 |"
    assert report.missed(rows) == ["today"]


def test_page_weights_against_the_limits():
    text = report.format_weights(
        {
            "first load": {
                "total": 30 * 1024,
                "parts": [("HTML (gzip)", 2560), ("htmx.js", 28160)],
            },
            "htmx step": {"total": 7 * 1024, "parts": [("gzip", 7 * 1024)]},
        }
    )
    assert text.splitlines() == [
        "- first load: 30.0 KB (limit 60.0 KB): HTML (gzip) 2.5 KB, htmx.js 27.5 KB",
        "- htmx step: 7.0 KB (limit 6.0 KB, **over**): gzip 7.0 KB",
    ]


def test_a_floor_run_just_before_an_endpoint_is_its_share():
    def run(rps):
        return report.parse_wrk(wrk_line(rps * 10, 1000, 2000))

    # The machine slowed down during the round: the round's first floor says 1000, the floor
    # just before "today" says 400, so today's 200 is half the floor, not a fifth.
    rounds = [{report.FLOOR: run(1000), report.floor_before("today"): run(400), "today": run(200)}]
    floor, today = report.summarize(rounds)
    assert today["share"] == pytest.approx(0.5)
    assert floor["runs"] == 2  # both floor runs make the floor's row
    assert [r["endpoint"] for r in (floor, today)] == [report.FLOOR, "today"]


def test_cpu_per_request_is_the_median_over_the_rounds_and_shown_when_measured():
    def run(rps, app=None):
        result = report.parse_wrk(wrk_line(rps * 10, 1000, 2000))
        if app is not None:
            result |= {"app_cpu_ms": app, "db_cpu_ms": app / 4}
        return result

    rounds = [
        {report.FLOOR: run(1000, 2.0), "today": run(400, 4.0)},
        {report.FLOOR: run(1000, 2.5), "today": run(400, 5.0)},
        {report.FLOOR: run(1000, 2.2), "today": run(400, 9.0)},
    ]
    floor, today = report.summarize(rounds)
    assert (floor["app_cpu_ms"], today["app_cpu_ms"], today["db_cpu_ms"]) == (2.2, 5.0, 1.25)
    lines = report.format_table([floor, today]).splitlines()
    assert lines[0].endswith("| app CPU ms/req | PostgreSQL CPU ms/req |")
    assert lines[3] == "| today | 400 | 1.0 | 2.0 | 0.40 | >= 0.4 | 0 | 0 | 5.00 | 1.25 |"
    # Without the figures (wrk alone), the table keeps its eight columns.
    plain = report.summarize([{report.FLOOR: run(1000), "today": run(400)}])
    assert report.format_table(plain).splitlines()[3].count("|") == 9
