"""Soak: two gunicorn instances behind nginx over one PostgreSQL, patients doing whole sessions.

    .venv/bin/python benchmarks/soak.py                 # 5 minutes
    .venv/bin/python benchmarks/soak.py --minutes 1     # a quick run

Builds a fresh database `creekside_soak` (patients on a three-times-a-day plan with a few days
of logs), starts two gunicorn instances (2 sync workers each, production settings, database
sessions, one shared cache: CACHE_URL=redis://127.0.0.1:6379/0, or the database cache when the
redis package is missing) and nginx (Debian's, a generated config in a temporary folder, not a
daemon, a free port) balancing over both. Simulated patients (benchmarks/soak_client.py) then
complete whole sessions until the time is up, while one patient's session goes request by
request to instance A, then B, then A... through nginx's pinned ports.
Reports errors (must be 0), acknowledged set posts against the sets stored (must be equal,
step for step), repeated presses that stored nothing, the shared-cache probe, and every
worker's RSS before and after. Exit 1 when a check fails. Loopback only; stops what it starts.
"""

import argparse
import json
import os
import shutil
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import harness
from benchmarks.nginx import Nginx
from benchmarks.soak_client import Patient, Tally, run_patients

DB = "creekside_soak"
SLOTS = 3  # the soak plan: every row three times a day


def build(patients, log):
    """Patients on a three-times-a-day plan started a few days ago, with those days logged."""
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from benchmarks import dataset
    from creekside import dosing
    from exercises.models import Exercise
    from programs.models import Patient, Prescription, Program

    call_command("migrate", verbosity=0)
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    User = get_user_model()
    therapist = User.objects.create(username="soak-therapist@bench.test", is_staff=True)
    no_password = make_password(None)
    emails = [f"soak{i:05d}@bench.test" for i in range(patients)]
    users = User.objects.bulk_create(
        User(username=e, email=e, password=no_password) for e in emails
    )
    people = Patient.objects.bulk_create(
        Patient(name=f"Soak Patient {i:05d}", email=e, user=u, therapist=therapist)
        for i, (e, u) in enumerate(zip(emails, users, strict=True))
    )
    start = timezone.localdate() - datetime.timedelta(days=3)
    programs = Program.objects.bulk_create(
        Program(patient=p, title="Three times a day", start_date=start, status="active",
                status_since=start)
        for p in people
    )  # fmt: skip
    exercises = {e.slug: e for e in Exercise.objects.all()}
    plan = [("standing-hamstring-curl", 2, "8", "each"), ("seated-slump-slider", 1, "10", "each"),
            ("double-leg-bridge", 2, "10", "both")]  # fmt: skip
    rows = []
    for program in programs:
        program.rows = []
        for order, (slug, sets, reps, side) in enumerate(plan, start=1):
            row = Prescription(program=program, exercise=exercises[slug], order=order, sets=sets,
                               reps=reps, side=side, frequency="daily", frequency_count=SLOTS)  # fmt: skip
            row.rep_targets, row.dose_text = dosing.describe(row, [])
            program.rows.append(row)
        rows += program.rows
    Prescription.objects.bulk_create(rows)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    counts = dataset._log_history(programs, yesterday, random.Random(15))
    log(f"soak dataset: {patients} patients, {counts[0]} sessions, {counts[1]} sets logged")
    return people


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--clients", type=int, default=10, help="patients at the same time")
    parser.add_argument("--think-ms", type=float, default=20, help="pause after each answer")
    parser.add_argument("--patients", type=int, help="default: enough for the time")
    args = parser.parse_args(argv)
    patients = args.patients or int(300 + 400 * args.minutes)
    work = harness.scratch_dir("soak")
    env = harness.production_env(DB, work / "static")  # with the shared cache (Redis)
    harness.setup_django(env)
    harness.check_migrations()
    harness.recreate_database(DB)
    harness.fresh_media(DB)
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    people = build(patients, harness.log)
    if env["CACHE_URL"].startswith("db://"):
        call_command("createcachetable", verbosity=0)
    harness.collectstatic()
    sids = [harness.signed_in_session(p.user) for p in people]
    connections.close_all()
    processes, tally = [], Tally()
    try:
        a = harness.Server(env, name="gunicorn-a", log_dir=work)
        b = harness.Server(env, name="gunicorn-b", log_dir=work)
        processes += [a, b]
        a.wait_ready(), b.wait_ready()
        nginx = Nginx(work, [a.port, b.port])
        processes.append(nginx)
        nginx.wait_ready()
        cache_probe = probe_cache(nginx, str(os.getpid()) + str(time.time()))
        crosser = Patient(nginx.port, sids.pop(), tally, 0)
        warm = Patient(nginx.port, sids.pop(), tally, 0)
        began_at = timezone.now()  # every set logged from here on is counted
        for slot in range(1, SLOTS + 1):  # every page on every worker before "before"
            warm.one_session(slot, double_tap_every=3)
            for _ in range(4):
                warm.expect(warm.send("GET", "/history/"), 200, "history")
        before = {s.name: s.worker_rss_mb() for s in (a, b)}
        rss = RssSampler([a, b], every=60)
        began = time.monotonic()
        crossed = [crosser.one_session(1, ports=[*nginx.pinned])]
        work_list = [(sid, list(range(1, SLOTS + 1))) for sid in sids]
        work_list.reverse()
        deadline = began + args.minutes * 60
        threads = [
            threading.Thread(
                target=run_patients,
                args=(nginx.port, work_list, tally, deadline, args.think_ms / 1000),
            )
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        crossed.append(crosser.one_session(2, ports=nginx.pinned[::-1]))
        elapsed = time.monotonic() - began
        after = {s.name: s.worker_rss_mb() for s in (a, b)}
        rss.stop()
        served_by = Counter(crosser.served_by)
    finally:
        harness.stop_all(processes)
    stored = stored_steps(began_at)
    result = report(
        args, tally, stored, before, after, elapsed, crossed, served_by, cache_probe, rss
    )
    if result == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"- logs (gunicorn, nginx): {work}")
    return result


class RssSampler:
    """Every worker's RSS once a minute during the soak (a flat line, or a leak)."""

    def __init__(self, servers, every):
        self.servers, self.samples, self.done = servers, [], threading.Event()
        self.thread = threading.Thread(target=self.run, args=(every,), daemon=True)
        self.thread.start()

    def run(self, every):
        while not self.done.wait(every):
            self.samples.append([round(m) for s in self.servers for m in s.worker_rss_mb()])

    def stop(self):
        self.done.set()
        self.thread.join()


def probe_cache(nginx, run):
    """The same counter incremented through A, then B, then A: one cache, or not."""
    seen = []
    for port in (*nginx.pinned, nginx.pinned[0]):
        response = harness.request("GET", f"http://127.0.0.1:{port}/bench/cache/?run={run}")
        seen.append(json.loads(response.body))
    return seen


def stored_steps(since):
    from programs.models import SetLog

    done = SetLog.objects.filter(status=SetLog.Status.DONE, logged_at__gte=since)
    return set(done.values_list("pk", flat=True))


def report(args, tally, stored, before, after, elapsed, crossed, served_by, cache_probe, rss):
    acked = tally.acked
    shared = [p["count"] for p in cache_probe] == [1, 2, 3] and len(
        {p["pid"] for p in cache_probe}
    ) > 1
    ok = not tally.errors and acked == stored and len(served_by) >= 2 and shared
    requests = sum(tally.requests.values())
    print(
        f"soak: {elapsed / 60:.1f} min, {args.clients} patients at once, think {args.think_ms:g} ms"
    )
    print(
        f"- requests: {requests} ({requests / elapsed:.0f}/s), sessions completed: {tally.sessions}"
    )
    print(
        f"- errors: {len(tally.errors)}" + (f" (first: {tally.errors[:3]})" if tally.errors else "")
    )
    print(
        f"- set posts acknowledged: {len(acked)}; sets stored: {len(stored)}; "
        f"{'equal, step for step' if acked == stored else 'DIFFERENT'}"
        f" (missing {len(acked - stored)}, unacknowledged {len(stored - acked)});"
        f" repeated presses: {tally.repeats}, stored nothing"
    )
    print(
        f"- one session across both instances: {crossed[0]} + {crossed[1]} sets, requests by "
        f"upstream: {dict(served_by)}"
    )
    print(f"- shared cache ({os.environ.get('CACHE_URL')}): counts {[p['count'] for p in cache_probe]}"
          f" from pids {[p['pid'] for p in cache_probe]}: {'shared' if shared else 'NOT shared'}")  # fmt: skip
    print(f"- requests by upstream (nginx round robin): {dict(tally.upstreams)}")
    for name in before:
        pairs = ", ".join(
            f"{x:.0f} -> {y:.0f} MB" for x, y in zip(before[name], after[name], strict=False)
        )
        print(f"- {name} worker RSS before -> after: {pairs}")
    if rss.samples:
        print(f"- all four workers' RSS each minute (MB): {rss.samples}")
    print("- result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
