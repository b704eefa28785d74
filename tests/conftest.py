import os
import shutil

import pytest

from exercises.models import Exercise

# Playwright's sync API runs an event loop in the test thread; live_server's DB work is sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
        "unilateral": True,
        "default_sets": 3,
        "default_reps": "10",
    }
    fields.update(overrides)
    return Exercise.objects.create(**fields)


@pytest.fixture
def exercise(db):
    return make_exercise()


@pytest.fixture
def therapist(django_user_model):
    return django_user_model.objects.create_user(
        "theo", email="theo@clinic.test", password="therapist-pass-1", is_staff=True
    )


def make_patient(therapist, name="Alice Patient", email="alice@example.test", password=None):
    from django.contrib.auth import get_user_model

    from programs.models import Patient

    user = None
    if password:
        user = get_user_model().objects.create_user(email, email=email, password=password)
    return Patient.objects.create(name=name, email=email, therapist=therapist, user=user)


@pytest.fixture
def patient(therapist):
    return make_patient(therapist, password="alice-pass-123")


@pytest.fixture
def other_patient(therapist):
    return make_patient(therapist, "Bob Other", "bob@example.test", password="bob-pass-123")


def make_program(patient=None, **overrides):
    import datetime

    from programs.models import Program

    fields = {
        "patient": patient,
        "title": "Tight hamstrings",
        "start_date": datetime.date(2026, 11, 2) if patient else None,
        "weeks": 6,
        "status": Program.Status.ACTIVE if patient else Program.Status.DRAFT,
    }
    fields.update(overrides)
    return Program.objects.create(**fields)


def prescribe(program, exercise, **overrides):
    from programs.models import Prescription

    fields = {"program": program, "exercise": exercise, "sets": 3, "reps": "10"}
    fields.update(overrides)
    return Prescription.objects.create(**fields)


@pytest.fixture
def program(patient, exercise):
    program = make_program(patient)
    prescribe(program, exercise, frequency="per_week", frequency_count=3)
    return program
