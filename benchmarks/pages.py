"""Throughput of the patient pages as a share of a bare view, in one run, in-process.

    .venv/bin/python benchmarks/pages.py [--seconds 2] [--check]

Every request goes through the whole middleware stack (sessions, CSRF, auth, CSP, htmx) with
Django's test client, against a fresh database (SQLite by default, or DATABASE_URL) holding a
patient with a year of logged sessions. Ratios, not absolute times, are the result: the machine
and the database change absolute numbers, not the ratios between pages in the same run.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Benchmarks the app as served: DEBUG off, no browser-test settings.
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creekside.settings")
os.environ.pop("DEBUG", None)
WORK = Path(tempfile.mkdtemp(prefix="creekside-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(WORK / "media")

# Targets (docs/benchmarks.md): share of the bare view's throughput.
TARGETS = {"log a set": 0.5, "today": 0.4, "history (a year of logs)": 0.25}


def seed(email, days=365):
    """A patient on the starter template with a session logged on every day of the last year."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from programs import services
    from programs.models import Patient, Program

    User = get_user_model()
    therapist, _ = User.objects.get_or_create(username="bench-therapist", is_staff=True)
    user = User.objects.create_user(email, password="bench-pass-123")
    patient = Patient.objects.create(name=email, email=email, therapist=therapist, user=user)
    template = Program.objects.templates().get(title="Tight hamstrings starter")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days)
    program = services.copy_template(template, patient, start)
    program.weeks = None  # open-ended, so the year is all inside the program
    program.save()
    for planned in program.planned_sessions(start, today - datetime.timedelta(days=1)):
        if planned.slot != 1:
            continue
        session = services.start_session(planned)
        for step in session.set_logs.all():
            services.complete_step(session, step.pk, reps_done=8, seconds_done=10)
        services.finish_session(session, pain_during=2, effort=5)
    return program, user


def pending_steps(program, count):
    """Sessions in extra slots today, so every 'log a set' request logs a fresh set.

    They belong to a second patient, so they don't weigh on the first patient's pages.
    """
    from django.utils import timezone

    from programs import services
    from programs.models import PlannedSession

    today = timezone.localdate()
    planned = program.planned_sessions(today, today + datetime.timedelta(days=7))[0]
    steps = []
    slot = 100
    while len(steps) < count:
        slot += 1
        extra = PlannedSession(program, today, slot, planned.week, planned.items)
        session = services.start_session(extra)
        steps += [(session.pk, s.pk) for s in session.set_logs.all()]
    return steps


def rate(request, seconds):
    """Requests a second for request(), after a warm-up."""
    for _ in range(5):
        request()
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        request()
        count += 1
    return count / (time.perf_counter() - began)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per page")
    parser.add_argument("--check", action="store_true", help="exit 1 below a target ratio")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    warnings.filterwarnings("ignore", message="No directory at")
    settings.ROOT_URLCONF = "benchmarks.urls"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; seeding…")
    from django.core.management import call_command
    from django.db import connection

    # A server database gets a throwaway database of its own, dropped at the end; the
    # default SQLite file already lives in a temporary folder.
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        connection.settings_dict["TEST"]["NAME"] = "creekside_bench"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    call_command("loaddata", "hamstring_exercises", "protocols", verbosity=0)
    program, user = seed("pat@example.test")
    session = program.sessions.order_by("-date").first()
    logger_program, logger = seed("lou@example.test", days=7)
    steps = iter(pending_steps(logger_program, 20000))
    client, logger_client = Client(), Client()
    client.force_login(user)
    logger_client.force_login(logger)

    def log_a_set():
        session_pk, step_pk = next(steps)
        response = logger_client.post(
            f"/sessions/{session_pk}/steps/{step_pk}/complete/",
            {"reps_done": "8", "seconds_done": "10"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    def get(path):
        def request():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return request

    pages = {
        "bare view (baseline)": get("/bench/bare/"),
        "library": get("/library/"),
        "today": get("/"),
        "session step (finished summary)": get(f"/sessions/{session.pk}/"),
        "log a set": log_a_set,
        "history (a year of logs)": get("/history/"),
        "whole program": get("/program/"),
    }
    try:
        results = {name: rate(request, args.seconds) for name, request in pages.items()}
    finally:
        if throwaway:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    base = results["bare view (baseline)"]
    print(f"{'page':34} {'req/s':>8} {'ratio':>6} {'target':>7}")
    failed = []
    for name, value in results.items():
        target = TARGETS.get(name)
        ratio = value / base
        mark = ""
        if target is not None:
            mark = f">= {target}" + ("" if ratio >= target else "  BELOW")
            if ratio < target:
                failed.append(name)
        print(f"{name:34} {value:8.0f} {ratio:6.2f} {mark:>7}")
    if args.check and failed:
        print("below target: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
