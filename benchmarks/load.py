"""Load benchmark: gunicorn (2 sync workers, production settings) on PostgreSQL, driven by wrk.

    .venv/bin/python benchmarks/load.py            # or: make bench-load
    .venv/bin/python benchmarks/load.py --rounds 1 --duration 3 --only today,floor

Builds (once a day, then reuses) a clinic in its own database `creekside_bench`: 1,000
patients on plans with months of logs, one with a year. Each run starts fresh pending steps and
signed-in sessions, starts gunicorn on 127.0.0.1, and runs `wrk -t2 -c16 -d10s` on every
endpoint in turn, round after round (interleaved), with the bare floor view in every round and
again just before each endpoint (each share is that pair's; --no-floor-each: the round's).
Prints one table of medians: req/s, p50, p99, share of the floor and non-2xx answers, and the
session page's weight. Numbers are noisy on a shared machine: read the shares, not req/s.
Before each round's POSTs, each of their sessions' pages is opened once (untimed), as a
phone opens the session before its first Done; --cold-pages posts to sessions nobody opened.
Needs wrk (benchmarks/setup.sh). Loopback only; stops every process it starts.
"""

import argparse
import datetime
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import harness, report

LUA = Path(__file__).resolve().parent / "lua"
DATASET_VERSION = "1"
HTMX = "HX-Request: true"


def dataset_is_current(db, patients, months):
    """Built today with this version and size? (The dataset's days are relative to today.)"""
    import psycopg

    if not (harness.database_exists(db) and (harness.media_root(db) / "exercises").is_dir()):
        return False
    try:
        with psycopg.connect(harness.database_url(db), connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT version, built_on, patients, months FROM bench_meta"
            ).fetchone()
    except psycopg.Error:
        return False
    return row == (DATASET_VERSION, datetime.date.today(), patients, months)


def ensure_dataset(args, env):
    current = not args.rebuild and dataset_is_current(args.db, args.patients, args.months)
    harness.setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import dataset

    harness.check_migrations()
    if current:
        call_command("migrate", verbosity=0)  # the code may have moved on since the build
        if env["CACHE_URL"].startswith("db://"):
            call_command("createcachetable", verbosity=0)
        harness.log(f"dataset: reusing {args.db} (built today, migrated)")
        return
    harness.recreate_database(args.db)
    harness.fresh_media(args.db)
    began = time.monotonic()
    harness.log(f"dataset: building {args.db} ({args.patients} patients, {args.months} months)")
    summary = dataset.build(patients=args.patients, months=args.months, log=harness.log)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_meta (version text, built_on date, patients int, months int)"
        )
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, %s, %s, %s)",
            [DATASET_VERSION, datetime.date.today(), args.patients, args.months],
        )
        cursor.execute("ANALYZE")
    harness.log(f"dataset: {summary} in {time.monotonic() - began:.0f} s")


def prepare(args):
    """Fresh state for this run: endpoints, the POST steps per round, and the cookies."""
    from django.db import connections

    from benchmarks import dataset

    year, ten, therapist, device, loggers = dataset.people()
    session = dataset.today_session(year)
    per_round = args.post_steps
    steps = dataset.pending_steps(300 + per_round * args.rounds, loggers)
    logger_sids = [harness.signed_in_session(p.user) for p in loggers]
    patient = "sessionid=" + harness.signed_in_session(year.user)
    staff = "sessionid=" + harness.signed_in_session(therapist, device)
    program = ten.current_program()
    connections.close_all()
    endpoints = [
        (report.FLOOR, "/bench/bare/", patient, []),
        ("log a set (POST)", None, None, None),
        ("today", "/", patient, []),
        ("session step (full page)", f"/sessions/{session.pk}/", patient, []),
        ("session step (htmx partial)", f"/sessions/{session.pk}/", patient, [HTMX]),
        ("history (a year of logs)", "/history/", patient, []),
        ("program", "/program/", patient, []),
        ("admin patient page", f"/admin/programs/patient/{year.pk}/change/", staff, []),
        ("admin program page (10 rx)", f"/admin/programs/program/{program.pk}/change/", staff, []),
    ]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        # The floor is every share's baseline: always measured.
        endpoints = [e for e in endpoints if e[0] == report.FLOOR or any(w in e[0] for w in wanted)]
    posts = [(f"/sessions/{s}/steps/{p}/complete/", logger_sids[owner], s) for s, p, owner in steps]
    return endpoints, posts, patient


def steps_file(path, posts, threads):
    """Lines "<thread> <path> <sessionid>": a session's steps stay with one wrk thread."""
    sessions = {}
    with open(path, "w") as f:
        for url, sid, session in posts:
            thread = sessions.setdefault(session, len(sessions) % threads)
            f.write(f"{thread} {url} {sid}\n")
    return path


def run_wrk(args, url, script, extra, server=None):
    """wrk's figures, and with `server` the CPU its workers and PostgreSQL used per request."""
    watched = (server.worker_pids(), harness.pids_named("postgres")) if server else ([], [])
    before = [harness.cpu_seconds(pids) for pids in watched]
    cmd = [
        harness.which("wrk"),
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / script),
        url,
        "--",
        *extra,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60)
    result = report.parse_wrk(done.stdout + done.stderr)
    if server and result["requests"]:
        used = [harness.cpu_seconds(pids) - b for pids, b in zip(watched, before, strict=True)]
        result["app_cpu_ms"], result["db_cpu_ms"] = (1000 * u / result["requests"] for u in used)
    return result


def stored_count(step_urls):
    """How many of these steps are logged (done) in the database."""
    import psycopg

    pks = [int(re.search(r"/steps/(\d+)/", u).group(1)) for u in step_urls]
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        query = "SELECT count(*) FROM programs_setlog WHERE status = 'done' AND id = ANY(%s)"
        return conn.execute(query, [pks]).fetchone()[0]


def page_weight(base, session_path, cookie, post, csrf):
    """The session page's first load (HTML gzipped as a proxy sends it, plus its static
    files as whitenoise serves them with gzip) and one htmx step (a logged set's answer)."""
    page = harness.request("GET", base + session_path, {"Cookie": cookie})
    parts = [("HTML (gzip)", len(gzip.compress(page.body, 6)))]
    for asset in dict.fromkeys(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)):
        got = harness.request("GET", base + asset, {"Accept-Encoding": "gzip"})
        parts.append((asset.rsplit("/", 1)[-1], len(got.wire)))
    url, sid, _ = post
    step = harness.request("POST", base + url, **_post_args(base, url, sid, csrf))
    partial = harness.request("GET", base + session_path, {"Cookie": cookie, "HX-Request": "true"})
    return {
        "first load": {"total": sum(n for _, n in parts), "parts": parts},
        "htmx step": {
            "total": len(gzip.compress(step.body, 6)),
            "parts": [
                ("logged-set answer raw", len(step.body)),
                ("gzip", len(gzip.compress(step.body, 6))),
                ("step card GET raw", len(partial.body)),
            ],
        },
    }


def _post_args(base, url, sid, csrf):
    cookie, token = csrf
    headers = {
        "Cookie": f"sessionid={sid}; csrftoken={cookie}",
        "X-CSRFToken": token,
        "Origin": base,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return {"headers": headers, "body": "reps_done=8&seconds_done=10"}


def open_sessions(base, posts, workers=4):
    """GET each session's page once, as the patient's phone does before logging its steps."""
    from concurrent.futures import ThreadPoolExecutor

    pages = {}
    for url, sid, _ in posts:
        pages.setdefault(url.split("steps/")[0], sid)

    def get(item):
        path, sid = item
        return harness.request("GET", base + path, {"Cookie": f"sessionid={sid}"}).status

    with ThreadPoolExecutor(workers) as pool:
        bad = [status for status in pool.map(get, pages.items()) if status != 200]
    if bad:
        raise SystemExit(f"opening the sessions: {len(bad)} pages answered {bad[0]}")


def warm_up(base, endpoints, posts, csrf):
    for name, path, cookie, headers in endpoints:
        if path is None:
            for url, sid, _ in posts:
                harness.request("POST", base + url, **_post_args(base, url, sid, csrf))
            continue
        extra = dict(h.split(": ", 1) for h in headers)
        for _ in range(10):
            response = harness.request("GET", base + path, {"Cookie": cookie, **extra})
            if response.status != 200:
                raise SystemExit(f"{name}: {path} answered {response.status}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="creekside_bench")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build the dataset anew")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers (docs/operations.md runs 4)"
    )
    parser.add_argument("--post-steps", type=int, default=9000, help="fresh steps per round")
    parser.add_argument("--only", help="comma-separated parts of endpoint names (and floor)")
    parser.add_argument(
        "--cold-pages",
        dest="open_pages",
        action="store_false",
        help="post to sessions whose pages nobody opened (the step cards not yet kept)",
    )
    parser.add_argument(
        "--no-floor-each",
        dest="floor_each",
        action="store_false",
        help="measure the floor once a round, not again beside every endpoint",
    )
    args = parser.parse_args(argv)
    harness.which("wrk")
    began, load_before = time.monotonic(), os.getloadavg()
    work = harness.scratch_dir("load")
    env = harness.production_env(args.db, work / "static")
    server = None
    try:
        ensure_dataset(args, env)
        harness.collectstatic()
        endpoints, posts, patient = prepare(args)
        server = harness.Server(env, workers=args.workers, log_dir=work).wait_ready()
        base = server.base
        csrf = harness.csrf_pair(base, patient)
        warm, posts = posts[:300], posts[300:]
        session_path = next((e[1] for e in endpoints if e[0].startswith("session step")), None)
        weights = page_weight(base, session_path, patient, warm[-1], csrf) if session_path else {}
        warm_up(base, endpoints, warm[:30], csrf)
        harness.log(f"ready in {time.monotonic() - began:.0f} s; {args.rounds} rounds follow")
        rounds, stored = [], []
        floor = next((e for e in endpoints if e[0] == report.FLOOR), None)
        for number in range(args.rounds):
            results = {}
            mine = posts[number * args.post_steps : (number + 1) * args.post_steps]
            for name, path, cookie, headers in endpoints:
                if path is None and args.open_pages:
                    open_sessions(base, mine)
                if args.floor_each and floor is not None and name != report.FLOOR:
                    # The floor again just before: the pair is one share (report.py).
                    results[report.floor_before(name)] = run_wrk(
                        args, base + floor[1], "get.lua", [floor[2], *floor[3]], server
                    )
                if path is None:
                    lines = steps_file(work / f"steps{number}.txt", mine, args.threads)
                    extra = [str(lines), *csrf, base]
                    results[name] = run_wrk(args, base + "/", "post.lua", extra, server)
                    stored.append(
                        (results[name]["requests"], stored_count([u for u, _, _ in mine]))
                    )
                else:
                    results[name] = run_wrk(
                        args, base + path, "get.lua", [cookie, *headers], server
                    )

                harness.log(f"round {number + 1} {name}: {results[name]['rps']:.0f} req/s")
            rounds.append(results)
        rss = server.worker_rss_mb()
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    rows = report.summarize(rounds)
    print(report.format_table(rows))
    print()
    if weights:
        print("Page weight (session page):")
        print(report.format_weights(weights))
    for requests, count in stored:
        print(
            f"- log a set: {requests} POSTs answered, {count} steps stored (in-flight at the end differ)"
        )
    print(f"- gunicorn workers' RSS at the end: {', '.join(f'{m:.0f} MB' for m in rss)}")
    print(
        f"- gunicorn with {args.workers} sync workers; "
        f"{args.rounds} interleaved rounds of wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s; medians"
        f"{', each share against the floor run just before it' if args.floor_each else ''}. Load average before {load_before[0]:.1f}, after "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {time.monotonic() - began:.0f} s "
        "in all. Shared machine: compare shares, not req/s."
    )
    if missed_targets := report.missed(rows):
        print("- below target: " + ", ".join(missed_targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
