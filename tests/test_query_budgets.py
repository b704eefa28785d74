"""Query budgets: every page's exact query count, the same for a small and a large record.

Small: one prescription and a week of logs. Large: twelve prescriptions and six months of logs
(three sessions a week). The admin lists: one patient and twelve. Each count is the same at
both sizes; the comment on each budget says what the queries are. Patient pages include the
audit entry for the read (one INSERT); every page starts with the session and the user.
"""

import re

import pytest
from django.contrib.auth.models import Group

from programs import services
from tests.conftest import (
    HTMX,
    MONDAY,
    days,
    make_exercise,
    make_patient,
    make_program,
    prescribe,
    start,
)

pytestmark = pytest.mark.django_db

SIZES = {"small": (1, 1), "large": (12, 26)}  # prescriptions, weeks of logs


@pytest.fixture(params=SIZES)
def record(request, program, clock):
    """Alice's plan at one size, with sessions on Mondays, Wednesdays and Fridays, finished."""
    rows, weeks = SIZES[request.param]
    program.weeks = 30
    program.save()
    for n in range(rows // 4):  # the large record has three earlier plans, completed
        make_program(program.patient, title=f"Earlier {n}", status="completed")
    for n in range(rows - 1):
        prescribe(program, make_exercise(slug=f"move-{n}", name=f"Move {n}"), order=n + 1)
    for week in range(weeks):
        for offset in (0, 2, 4):
            day = MONDAY + days(7 * week + offset)
            clock.set(day)
            session = start(program, day)
            first = session.set_logs.first()
            services.complete_step(session, first.pk, reps_done=10)
            services.finish_session(session, pain_during=2, effort=4)
    today = MONDAY + days(7 * weeks)  # the Monday after the last week of logs
    clock.set(today)
    return program


@pytest.fixture
def alice(client, record, patient):
    """Alice signed in now (after the record is built: signing in first would have expired)."""
    client.force_login(patient.user)
    client.get("/healthz")  # the first request slides the new session's expiry (a write)
    return client


def test_today(alice, record, django_assert_num_queries):
    # the plan (+patient), its prescriptions, the week's sessions (with counts), the check-in's
    # last session, the questionnaires waiting, the audit entry
    with django_assert_num_queries(8):
        assert alice.get("/").status_code == 200


@pytest.fixture
def todays(record):
    """Today's session, started: the steps to do."""
    return start(record, record.sessions.latest("date").date + days(3))


def test_the_session_step(alice, todays, django_assert_num_queries):
    url = todays.get_absolute_url()
    # the session (+plan, patient), its steps (+exercises), the audit entry
    with django_assert_num_queries(5):
        assert alice.get(url).status_code == 200
    with django_assert_num_queries(5):
        assert alice.get(url, headers=HTMX).status_code == 200


def test_logging_a_set(alice, todays, django_assert_num_queries):
    step = todays.set_logs.first()
    url = f"/sessions/{todays.pk}/steps/{step.pk}/complete/"
    # the session's steps (+exercises, the session, plan, patient), the UPDATE
    with django_assert_num_queries(4):
        assert alice.post(url, {"reps_done": "9"}, headers=HTMX).status_code == 200


def test_history(alice, record, django_assert_num_queries):
    # the window's sessions (with counts), their sets, the plan, any earlier session, the
    # prescriptions for adherence, the audit entry
    with django_assert_num_queries(9):
        assert alice.get("/history/").status_code == 200


def test_my_plan(alice, record, django_assert_num_queries):
    # the plan (+patient), its prescriptions, the therapist on the printout, the audit entry
    with django_assert_num_queries(6):
        assert alice.get("/program/").status_code == 200


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("path", ["/", "/program/", "/history/", "session"])
def test_a_patient_page_again_is_read_from_the_cache(
    alice, todays, path, htmx, django_assert_num_queries
):
    url = todays.get_absolute_url() if path == "session" else path
    headers = HTMX if htmx else {}
    first = alice.get(url, headers=headers)
    # nothing it shows has changed: the session, the user, the audit entry for the read
    with django_assert_num_queries(3):
        again = alice.get(url, headers=headers)
    assert again.status_code == first.status_code == 200
    assert _without_tokens(again.content) == _without_tokens(first.content)


def _without_tokens(html):
    """The page less its CSRF tokens and CSP nonces, which are new on every answer."""
    html = re.sub(rb'(csrfmiddlewaretoken" value=|x-csrftoken": )"[^"]+"', rb"\1TOKEN", html)
    return re.sub(rb'nonce="[^"]+"', b'nonce="N"', html)


@pytest.fixture
def theo(client, therapist, clock):
    """Theo signed in now (after the record is built: signing in first would have expired)."""
    therapist.groups.add(Group.objects.get(name="Therapists"))
    client.force_login(therapist)
    client.get("/healthz")  # the first request slides the new session's expiry (a write)
    return client


def test_the_admin_patient_page(record, theo, django_assert_num_queries):
    # permissions (2), the patient (+account, therapist, reminders) and their active plans,
    # the audit entry; the hub: watched plans, their prescriptions, 30 sessions, the window's
    # sessions and sets (signals and suggestions), reviews done (2), outcomes (2); the form:
    # the care team chosen, the plans inline (+patient), therapists for the two selects (2)
    with django_assert_num_queries(20):
        assert theo.get(f"/admin/programs/patient/{record.patient_id}/change/").status_code == 200


def test_the_admin_program_page(record, theo, django_assert_num_queries):
    # permissions (2), the plan, its prescriptions for the panels and for the inline rows,
    # the patient (read-only on a plan), the audit entry
    with django_assert_num_queries(9):
        assert theo.get(f"/admin/programs/program/{record.pk}/change/").status_code == 200


@pytest.fixture(params=[1, 12])
def patients(request, therapist, exercise, clock):
    """Theo's patients, each with a plan, and a stop two days ago (a signal to look at)."""
    result = []
    for n in range(request.param):
        patient = make_patient(therapist, f"Pat {n}", f"pat{n}@example.test")
        plan = make_program(patient)
        prescribe(plan, exercise, frequency="per_week", frequency_count=3)
        session = start(plan, MONDAY)
        services.stop_exercise(session, session.set_logs.first(), 6, clock.now, None)
        result.append(patient)
    clock.set(MONDAY + days(2))
    return result


def test_the_admin_patient_list(patients, theo, django_assert_num_queries):
    # permissions (2), the audit entry, the therapist filter's choices, the counts (2), the
    # page of patients (+therapist, account, reminders) and their active plans
    with django_assert_num_queries(10):
        assert theo.get("/admin/programs/patient/").status_code == 200


def test_the_attention_list(patients, theo, django_assert_num_queries):
    # permissions (2), the watched plans, their prescriptions, the window's sessions and
    # flagged sets, reviews done, then the admin index's recent actions
    with django_assert_num_queries(10):
        response = theo.get("/admin/")
    assert response.status_code == 200
    assert response.content.count(b'class="attention-row') == len(patients)
