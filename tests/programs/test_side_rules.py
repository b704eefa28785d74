"""A prescription's side must fit its exercise: one leg at a time, or both legs together."""

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains

from programs.models import Prescription
from tests.conftest import add_row, make_exercise, make_program, page_data, prescribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def diver(db):
    return make_exercise(
        slug="askling-diver", name="Askling diver", kind="eccentric", unilateral=True
    )


@pytest.fixture
def bridge(db):
    return make_exercise(slug="double-leg-bridge", name="Double-leg bridge", position="lying")


def refused_side(row):
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    return [e.code for e in error.value.error_dict["side"]], error.value.message_dict["side"]


@pytest.mark.parametrize("side", ["each", "left", "right"])
def test_a_one_leg_exercise_takes_a_leg(program, diver, side):
    Prescription(program=program, exercise=diver, sets=3, reps="6", side=side).full_clean()


def test_a_one_leg_exercise_refuses_both_together_in_a_plan(program, diver):
    row = Prescription(program=program, exercise=diver, sets=3, reps="6", side="both")
    codes, messages = refused_side(row)
    assert codes == ["side_mismatch"]
    assert messages == [
        "Askling diver is done one leg at a time: choose the leg, or “Each leg in turn” for "
        "both legs."
    ]


@pytest.mark.parametrize("side", ["each", "left", "right"])
def test_a_two_leg_exercise_refuses_a_leg(program, bridge, side):
    row = Prescription(program=program, exercise=bridge, sets=3, reps="10", side=side)
    assert refused_side(row)[1] == [
        "Double-leg bridge works both legs together: choose “Both legs together”."
    ]


def test_a_template_may_leave_the_leg_to_the_start(diver, bridge):
    template = make_program(None, title="Askling")
    Prescription(program=template, exercise=diver, sets=3, reps="6", side="both").full_clean()
    row = Prescription(program=template, exercise=bridge, sets=3, reps="10", side="left")
    assert refused_side(row)[0] == ["side_mismatch"]


def test_the_admin_refuses_a_mismatched_side_in_its_row(therapist_client, program, diver, bridge):
    url = f"/admin/programs/program/{program.pk}/change/"
    data = page_data(therapist_client.get(url))
    add_row(data, 1, diver, side="both", reps="6")
    add_row(data, 2, bridge, side="each", order="2")
    response = therapist_client.post(url, data)
    assertContains(response, "Askling diver is done one leg at a time")
    assertContains(response, "Double-leg bridge works both legs together")
    assert program.prescriptions.count() == 1

    data["prescriptions-1-side"], data["prescriptions-2-side"] = "left", "both"
    assert therapist_client.post(url, data).status_code == 302
    assert program.prescriptions.count() == 3


def test_a_change_from_a_later_week_checks_the_side_too(therapist_client, program, diver):
    row = prescribe(program, diver, side="left", reps="6")
    url = f"/admin/programs/program/{program.pk}/prescriptions/{row.pk}/change-from-week/"
    data = {"from_week": "3", "sets": "3", "reps": "8", "side": "both", "load_kind": "bodyweight"}
    data |= {"rest_seconds": "60", "frequency": "per_week", "frequency_count": "3"}
    response = therapist_client.post(url, data)
    assertContains(response, "Askling diver is done one leg at a time")
    assert list(program.prescriptions.filter(exercise=diver).values_list("week_to")) == [(None,)]
