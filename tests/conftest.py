"""Personas, builders and the test clock shared by every test module.

The personas: theo the therapist; his patients alice (signed in as `alice`), bob
(`other_patient`) and cara (no account yet); cora, a colleague, with her patient carl. Alice's
`program` starts on MONDAY, 2 November 2026, three sessions a week for six weeks; the `clock`
starts at 09:00 that morning, so "today" in a test is the day its data is built around.
"""

import datetime
import json
import os
import shutil
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.cache import cache
from django.utils import timezone, translation

from exercises.models import Exercise
from programs import services
from programs.models import Patient, Prescription, Program

# Playwright's sync API runs an event loop in the test thread; live_server's DB work is sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 11, 2)  # day 1 of week 1 of alice's program
HTMX = {"HX-Request": "true"}
ALICE_EMAIL, ALICE_PASSWORD = "alice@example.test", "alice-pass-123"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Keep uploads in a temporary folder and serve static files without a manifest."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Patient pages are kept (programs/page_cache.py: one process here, so the in-process cache
    is shared by all), and each test starts with an empty cache: a page kept for account 5 in
    one test must never be served to another test's account 5."""
    settings.PATIENT_PAGE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request leaves its language active in the
    thread (LocaleMiddleware never resets it), and Exercise(name=...) writes the active
    language's column (django-modeltranslation): a Spanish page must not leak into the next test.
    """
    translation.deactivate()
    yield
    translation.deactivate()


def days(n):
    return datetime.timedelta(days=n)


# The clock --------------------------------------------------------------------------------


class Clock:
    """timezone.now(), and so localdate(), pinned to one instant until the test moves it."""

    def __init__(self, monkeypatch, when):
        monkeypatch.setattr(timezone, "now", lambda: self.now)
        self.set(when)

    def set(self, when, hour=9):
        """Move to when: an aware datetime, or a date at hour o'clock in London."""
        if not isinstance(when, datetime.datetime):
            when = datetime.datetime.combine(when, datetime.time(hour), tzinfo=LONDON)
        self.now = when

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """The test clock, at 09:00 on MONDAY. Fixtures that sign in ask for it first."""
    return Clock(monkeypatch, MONDAY)


# People -----------------------------------------------------------------------------------


@pytest.fixture
def therapist(django_user_model):
    return django_user_model.objects.create_user(
        "theo", email="theo@clinic.test", password="therapist-pass-1", is_staff=True
    )


def make_patient(therapist, name="Alice Patient", email=ALICE_EMAIL, password=None):
    user = None
    if password:
        user = get_user_model().objects.create_user(email, email=email, password=password)
    return Patient.objects.create(name=name, email=email, therapist=therapist, user=user)


@pytest.fixture
def patient(therapist):
    return make_patient(therapist, password=ALICE_PASSWORD)


@pytest.fixture
def other_patient(therapist):
    return make_patient(therapist, "Bob Other", "bob@example.test", password="bob-pass-123")


@pytest.fixture
def cara(therapist):
    """A new patient: no account until she uses a sign-in link."""
    return make_patient(therapist, "Cara New", "cara@example.test")


@pytest.fixture
def theo_too(therapist, django_user_model):
    """A patient whose email already belongs to a staff account."""
    patient = make_patient(therapist, "Theo Too", "theo-staff@clinic.test")
    django_user_model.objects.create_user("theo-staff@clinic.test", is_staff=True)
    return patient


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_user("cora", is_staff=True)


@pytest.fixture
def carl(colleague):
    """The colleague's patient."""
    return make_patient(colleague, "Carl Colleague", "carl@example.test")


@pytest.fixture
def alice(client, patient, clock):
    """A client signed in as alice, after the clock is set."""
    client.force_login(patient.user)
    return client


@pytest.fixture
def therapist_client(client, therapist, clock):
    """A client signed in as theo, with the Therapists group's permissions."""
    therapist.groups.add(Group.objects.get(name="Therapists"))
    client.force_login(therapist)
    return client


# Exercises, programs, sessions ------------------------------------------------------------


def make_exercise(**overrides):
    fields = {
        "slug": "standing-hamstring-curl",
        "name": "Standing hamstring curl",
        "kind": Exercise.Kind.CONCENTRIC,
        "summary": "Bend your knee to bring your heel up.",
        "instructions": "Stand tall holding a chair.\nBend one knee.\nLower slowly.",
        "cues": "Keep your thighs level.",
        "mistakes": "Leaning forward.",
        "stop_if": "Sharp pain.",
        "equipment": "A chair",
        "position": Exercise.Position.STANDING,
        "unilateral": False,
        "default_sets": 3,
        "default_reps": "10",
    }
    fields.update(overrides)
    return Exercise.objects.create(**fields)


@pytest.fixture
def exercise(db):
    return make_exercise()


def make_program(patient=None, **overrides):
    """A plan for patient from MONDAY, or a template (a draft without patient) when None."""
    fields = {
        "patient": patient,
        "title": "Tight hamstrings",
        "start_date": MONDAY if patient else None,
        "weeks": 6,
        "status": Program.Status.ACTIVE if patient else Program.Status.DRAFT,
    }
    fields.update(overrides)
    # In that status since it started: the field's default, the real date, ignores the clock.
    fields.setdefault("status_since", fields["start_date"] or MONDAY)
    return Program.objects.create(**fields)


def prescribe(program, exercise, **overrides):
    fields = {"program": program, "exercise": exercise, "sets": 3, "reps": "10"}
    fields.update(overrides)
    return Prescription.objects.create(**fields)


@pytest.fixture
def program(patient, exercise):
    program = make_program(patient)
    prescribe(program, exercise, frequency="per_week", frequency_count=3)
    return program


def start(program, day=MONDAY, slot=1):
    """Start the session planned for day and slot."""
    planned = next(p for p in program.planned_sessions(day, day) if p.slot == slot)
    return services.start_session(planned)


@pytest.fixture
def session(program, clock):
    """Alice's first session, started at 09:00 on MONDAY: three sets of the curl."""
    return start(program)


@pytest.fixture
def step(session):
    return session.set_logs.first()


# The shipped protocol templates -----------------------------------------------------------


@pytest.fixture(scope="session")
def _shipped_rows():
    """fixtures/hamstring_exercises.json and protocols.json, read and parsed once per run."""
    names = ["hamstring_exercises", "protocols"]
    return [row for name in names for row in json.loads((FIXTURES / f"{name}.json").read_text())]


@pytest.fixture
def protocols(db, _shipped_rows, settings):
    """The rows `loaddata hamstring_exercises protocols` installs, saved as loaddata saves them.

    Saved raw (no save(), no validation pass) from the parsed rows; tests of the command itself
    call it (tests/exercises/test_fixtures.py). Per test, since live_server tests flush the DB.
    """
    for obj in serializers.deserialize("python", _shipped_rows):
        obj.save()
    media = Path(settings.MEDIA_ROOT) / "exercises"
    shutil.copytree(FIXTURES / "exercises", media, dirs_exist_ok=True)


# Admin forms ------------------------------------------------------------------------------


def page_data(response):
    """The admin form's current values, as a browser would post them back (no extra rows)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.initial_forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = value if isinstance(value, list) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"]
    return data


def add_row(data, index, exercise, **fields):
    """Add prescription row `index` to posted program data."""
    row = {
        "order": "1",
        "exercise": str(exercise.pk),
        "week_from": "1",
        "week_to": "",
        "sets": "3",
        "reps": "10",
        "side": "both",
        "load_kind": "bodyweight",
        "rest_seconds": "60",
        "frequency": "per_week",
        "frequency_count": "3",
        **fields,
    }
    data.update({f"prescriptions-{index}-{name}": value for name, value in row.items()})
    data["prescriptions-TOTAL_FORMS"] = str(index + 1)
    return data


@pytest.fixture(autouse=True)
def _audit_content_types(request):
    """Load the audit trail's content types up front, so query counts don't depend on order."""
    if not {"db", "transactional_db"} & set(
        request.fixturenames
    ) and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue(
        "db" if "transactional_db" not in request.fixturenames else "transactional_db"
    )
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from programs.models import ExerciseSession, Patient, Program

    ContentType.objects.get_for_models(get_user_model(), Patient, Program, ExerciseSession)


# Races that only a real database server shows ---------------------------------------------

POSTGRES_ONLY = pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL (CI runs them with DATABASE_URL)",
)


def race(target, *args, n=4):
    """Run target(*args) in n threads released together; return their results."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = target(*args)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
