"""The admin program page at 5 and at 50 prescriptions, in-process: does a row cost anything?

    SECRET_KEY=x .venv/bin/python benchmarks/admin_rows.py [--rows 5,50] [--requests 20]

Issue 15 asks for a program page that costs the same at 50 prescriptions as at 5. This builds
a throwaway SQLite database (migrated, in a temporary folder), a therapist in the Therapists
group and one plan per size like tests/programs/test_program_admin_page.py's `long_plan` (ten
exercises, each in two-week steps, every row with notes), then times GET
/admin/programs/program/<pk>/change/ with Django's test client: the median wall time of
--requests requests after two warm-ups (the sizes taken in turn) (and of this process's CPU time, which other processes
on a shared machine disturb less), the HTML size, and the queries of one request.

Saved rows shown unedited come from the cache after the first request
(programs/templatetags/prescription_rows.py); --cold empties the cache before each request, as
for a plan whose every row was just edited. Staff two-factor is off here (STAFF_REQUIRE_2FA=0),
as in the tests. No network, no server.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(folder):
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/admin_rows.sqlite3"
    os.environ["STAFF_REQUIRE_2FA"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creekside.settings")
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    logging.disable(logging.WARNING)  # the sign-in's and static files' chatter


def long_plan(patient, rows, tag):
    """As tests/programs/test_program_admin_page.py builds it."""
    from exercises.models import Exercise
    from programs.models import Prescription, Program

    program = Program.objects.create(
        patient=patient,
        title=f"Plan of {rows}",
        start_date=time.strftime("%Y-%m-%d"),
        weeks=10,
        status=Program.Status.DRAFT,
    )
    moves = [
        Exercise.objects.create(
            slug=f"move-{tag}-{n}",
            name=f"Move {n}",
            kind=Exercise.Kind.CONCENTRIC,
            summary="Bend your knee.",
            instructions="Stand tall.\nBend one knee.",
            position=Exercise.Position.STANDING,
            default_sets=3,
            default_reps="10",
        )
        for n in range(10)
    ]
    for n in range(rows):
        first = 1 + 2 * (n // 10)
        Prescription.objects.create(
            program=program,
            exercise=moves[n % 10],
            order=n % 10,
            week_from=first,
            week_to=first + 1 if first < 9 else None,
            sets=3,
            reps=str(8 + n // 10),
            notes="Go slowly and stop if it pinches.",
            progression="Add a set when 3 × 12 feels easy.",
        )
    return program


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="5,50")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before each request (rows just edited)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from programs.models import Patient

        user = get_user_model().objects.create_user(
            "bench-theo", email="theo@bench.test", password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name="Therapists"))
        patient = Patient.objects.create(name="Bench Patient", email="p@bench.test", therapist=user)
        client = Client()
        client.force_login(user)
        sizes = [int(n) for n in args.rows.split(",")]
        urls, sizes_kb, query_counts = {}, {}, {}
        for rows in sizes:
            program = long_plan(patient, rows, rows)
            url = urls[rows] = f"/admin/programs/program/{program.pk}/change/"
            for _ in range(2):
                assert client.get(url).status_code == 200
            queries = []

            def count(run, sql, *rest, queries=queries):
                queries.append(sql)
                return run(sql, *rest)

            with connection.execute_wrapper(count):
                sizes_kb[rows] = len(client.get(url).content) / 1000
            query_counts[rows] = len(queries)
        times = {rows: [] for rows in sizes}
        cpu = {rows: [] for rows in sizes}
        for _ in range(args.requests):  # the sizes in turn, so a busy moment hits them alike
            for rows in sizes:
                if args.cold:
                    cache.clear()
                began, began_cpu = time.perf_counter(), time.process_time()
                client.get(urls[rows])
                times[rows].append((time.perf_counter() - began) * 1000)
                cpu[rows].append((time.process_time() - began_cpu) * 1000)
        results = {rows: statistics.median(times[rows]) for rows in sizes}
        for rows in sizes:
            print(
                f"{rows:3d} rows: median {results[rows]:6.1f} ms "
                f"(CPU {statistics.median(cpu[rows]):6.1f} ms) over {args.requests}, "
                f"{sizes_kb[rows]:6.1f} KB, {query_counts[rows]} queries"
            )
        if len(results) > 1:
            low, high = min(results), max(results)
            print(f"{high} rows / {low} rows: {results[high] / results[low]:.2f}x")


if __name__ == "__main__":
    main()
