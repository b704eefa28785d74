"""Every URL pattern, every persona, GET and POST: Alice's record reaches only those it should.

Alice's name, plan title and notes carry a marker word. Personas outside her care must never get
a response that contains it, and no request of theirs may change any row of her record.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from programs import services
from programs.models import (
    ExerciseSession,
    OutcomeRequest,
    Patient,
    Prescription,
    Program,
    SetLog,
    SignalReview,
    SigninLink,
)
from tests.conftest import make_exercise, make_program, prescribe

pytestmark = pytest.mark.django_db
MARKER = "Zebracorn"
OUTSIDERS = ["anonymous", "other patient", "other therapist", "clinic staff"]
INSIDERS = ["patient", "care-team therapist", "clinic lead", "superuser"]


def url_patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


@pytest.fixture
def world(django_user_model, therapist, clock):
    def staff(name, group=None, **fields):
        user = django_user_model.objects.create_user(name, is_staff=True, **fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    therapist.groups.add(Group.objects.get(name="Therapists"))
    alice_user = django_user_model.objects.create_user(
        "alice@example.test", email="alice@example.test"
    )
    alice = Patient.objects.create(
        name=f"Alice {MARKER}",
        email="alice@example.test",
        therapist=therapist,
        user=alice_user,
        notes=f"{MARKER}: private note",
    )
    bob_user = django_user_model.objects.create_user("bob@example.test", email="bob@example.test")
    Patient.objects.create(
        name="Bob Other", email="bob@example.test", therapist=therapist, user=bob_user
    )
    program = make_program(alice, title=f"{MARKER} plan")
    exercise = make_exercise()
    prescribe(program, exercise, frequency="daily", frequency_count=1)
    today = timezone.localdate()
    session = services.start_session(program.planned_sessions(today, today)[0])
    step = session.set_logs.order_by("position").first()
    services.stop_exercise(session, step, 6)
    request = OutcomeRequest.objects.create(patient=alice, requested_by=therapist)
    SigninLink.issue(alice, created_by=therapist)
    review = SignalReview.objects.create(
        patient=alice, key="x:1", kind="stop", day=today, reason=f"{MARKER} stopped"
    )
    users = {
        "patient": alice_user,
        "other patient": bob_user,
        "care-team therapist": therapist,
        "other therapist": staff("olga", "Therapists"),
        "clinic lead": staff("lena", "Clinic leads"),
        "clinic staff": staff("stan", "Clinic staff"),
        "superuser": staff("root", is_superuser=True),
    }
    ids = {
        "patient": alice.pk,
        "program": program.pk,
        "prescription": program.prescriptions.get().pk,
        "exercisesession": session.pk,
        "signinlink": alice.signin_links.get().pk,
        "signalreview": review.pk,
        "outcomerequest": request.pk,
        "exercise": exercise.pk,
        "user": alice_user.pk,
    }
    return {"users": users, "ids": ids, "alice": alice, "session": session, "step": step}


def concrete_urls(world):
    """Every pattern, filled with Alice's objects (patterns that serve files are left out)."""
    ids = world["ids"]
    values = {
        "<int:pk>": world["session"].pk,
        "<int:step_pk>": world["step"].pk,
        "<int:patient_pk>": ids["patient"],
        "<int:prescription_pk>": ids["prescription"],
        "<int:row_pk>": ids["prescription"],
        "<str:fmt>": "json",
        "<str:token>": "not-a-token",
        "<slug:slug>": "standing-hamstring-curl",
        "<id>": ids["user"],
    }
    urls = []
    for pattern in url_patterns():
        if "(?P<path>" in pattern or pattern == "favicon.ico":
            continue
        if pattern.startswith("admin/^"):
            urls.append("/admin/programs/")
            continue
        if pattern == "admin/(?P<url>.*)$":  # the admin's catch-all: a page that isn't there
            urls.append("/admin/programs/nothing-here/")
            continue
        url = "/" + pattern
        if "<path:object_id>" in url:
            model = url.split("/")[3]
            if model not in ids:
                continue
            url = url.replace("<path:object_id>", str(ids[model]))
        if url.startswith("/admin/programs/patient/<int:pk>"):
            url = url.replace("<int:pk>", str(ids["patient"]))
        if url.startswith("/admin/programs/program/<int:pk>"):
            url = url.replace("<int:pk>", str(ids["program"]))
        if url.startswith("/outcomes/"):
            url = url.replace("<int:pk>", str(ids["outcomerequest"]))
        for placeholder, value in values.items():
            url = url.replace(placeholder, str(value))
        assert "<" not in url, url
        urls.append(url)
    return sorted(set(urls))


def alices_record(alice):
    rows = []
    for model, path in [
        (Patient, "pk"),
        (Program, "patient"),
        (Prescription, "program__patient"),
        (ExerciseSession, "program__patient"),
        (SetLog, "session__program__patient"),
        (SigninLink, "patient"),
        (OutcomeRequest, "patient"),
        (SignalReview, "patient"),
    ]:
        rows.append(list(model.objects.filter(**{path: alice.pk}).order_by("pk").values()))
    return rows


def client_for(world, persona):
    client = Client()
    user = world["users"].get(persona)
    if user is not None:
        client.force_login(user)
    return client


def test_no_outsider_reads_or_changes_alices_record(world):
    urls = concrete_urls(world)
    before = alices_record(world["alice"])
    leaks, tried = [], 0
    for persona in OUTSIDERS:
        for url in urls:
            for method in ("get", "post"):
                client = client_for(world, persona)  # fresh: a POST may sign the persona out
                response = getattr(client, method)(url, follow=False)
                tried += 1
                assert response.status_code < 500, (persona, method, url, response.status_code)
                if MARKER in response.content.decode(errors="replace"):
                    leaks.append((persona, method, url, response.status_code))
    assert leaks == []
    assert alices_record(world["alice"]) == before
    assert tried == len(OUTSIDERS) * len(urls) * 2 and len(urls) > 70


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("patient", "/program/"),
        ("care-team therapist", "/admin/programs/patient/{patient}/change/"),
        ("care-team therapist", "/admin/programs/program/{program}/change/"),
        ("clinic lead", "/admin/programs/patient/{patient}/change/"),
        ("superuser", "/admin/programs/patient/{patient}/change/"),
    ],
)
def test_the_marker_does_show_where_it_should(world, persona, url):
    """The leak detector works: the people in Alice's care do see her record."""
    response = client_for(world, persona).get(url.format(**world["ids"]))
    assert response.status_code == 200
    assert MARKER in response.content.decode()


def test_every_insider_gets_an_answer_from_every_url(world):
    for persona in INSIDERS:
        for url in concrete_urls(world):
            response = client_for(world, persona).get(url)
            assert response.status_code < 500, (persona, url, response.status_code)
