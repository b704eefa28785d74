"""Rules that hold on every path: step order, stored doses, and no overlapping rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs import services
from programs.models import Prescription
from tests.conftest import make_exercise, make_program, prescribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(patient):
    """A plan that started two weeks ago, so today is in week 3 whatever the date."""
    start = timezone.localdate() - datetime.timedelta(weeks=2)
    return make_program(patient, start_date=start, weeks=6)


def test_a_sessions_steps_follow_the_order_the_therapist_gave(running):
    bridge = make_exercise(slug="bridge", name="Bridge", unilateral=False)
    floss = make_exercise(slug="floss", name="Floss", kind="nerve_glide", unilateral=False)
    daily = {"frequency": "daily", "frequency_count": 1, "sets": 1}
    prescribe(running, bridge, order=2, week_from=1, **daily)
    prescribe(running, floss, order=1, week_from=3, reps="5", **daily)
    today = timezone.localdate()
    (planned,) = running.planned_sessions(today, today)
    assert planned.week == 3
    session = services.start_session(planned)
    names = [log.exercise.name for log in session.set_logs.select_related("exercise")]
    assert names == ["Floss", "Bridge"]


@pytest.fixture
def mismatched(running, exercise):
    """A row whose scheme no longer fits its set count, as update() or a shell can leave it."""
    row = prescribe(running, exercise, sets=3, reps="12,10,8", frequency="daily", frequency_count=1)
    Prescription.objects.filter(pk=row.pk).update(sets=4)
    return row


def test_pages_never_fail_on_a_row_changed_behind_the_models_back(
    client, admin_client, patient, mismatched
):
    client.force_login(patient.user)
    for url in ["/", "/program/", "/history/"]:
        assert client.get(url).status_code == 200, url
    page = admin_client.get(f"/admin/programs/program/{mismatched.program_id}/change/")
    assert page.status_code == 200
    assert "3 sets: 12, 10, 8 reps" in page.content.decode()


def test_a_session_starts_from_the_dose_as_it_was_saved(patient, mismatched):
    today = timezone.localdate()
    (planned,) = mismatched.program.planned_sessions(today, today)
    session = services.start_session(planned)
    assert [(s.set_number, s.sets_total, s.target_reps_low) for s in session.set_logs.all()] == [
        (1, 3, 12),
        (2, 3, 10),
        (3, 3, 8),
    ]


def test_saving_stores_the_parsed_dose(running, exercise):
    row = prescribe(running, exercise, sets=2, reps="8-10,6-8", tempo="3-0-1-0")
    row.refresh_from_db()
    assert row.rep_targets == [[8, 10], [6, 8]]
    assert row.dose_text == "2 sets: 8-10, 6-8 reps · lower over 3 s · bodyweight · 3×/week"


def test_a_row_loaded_raw_is_described_when_read(running, exercise):
    row = prescribe(running, exercise, sets=2, reps="6")
    Prescription.objects.filter(pk=row.pk).update(dose_text="", rep_targets=[])
    row = Prescription.objects.get(pk=row.pk)
    assert row.dose_text == "2 sets of 6 reps · bodyweight · 3×/week"
    assert row.set_targets() == [(6, 6), (6, 6)]


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ({"side": "left", "week_to": 4}, {"side": "right", "week_from": 1}, False),
        ({"side": "left", "week_to": 4}, {"side": "each", "week_from": 4}, True),
        ({"side": "each", "week_to": 4}, {"side": "each", "week_from": 5}, False),
        ({"side": "each"}, {"side": "left", "week_from": 9}, True),
    ],
)
def test_the_model_refuses_overlapping_rows_on_every_path(running, first, second, clash):
    exercise = make_exercise(slug="rdl", name="Single-leg RDL", unilateral=True)
    prescribe(running, exercise, **first)
    row = Prescription(program=running, exercise=exercise, sets=3, reps="10", **second)
    if clash:
        with pytest.raises(ValidationError) as error:
            row.full_clean()
        assert error.value.error_dict["__all__"][0].code == "overlapping_rows"
    else:
        row.full_clean()
