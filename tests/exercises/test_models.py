import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from exercises.models import Exercise
from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "stretching"},
        {"position": "upside-down"},
        {"default_sets": 0},
        {"default_sets": 11},
        {"default_hold_seconds": 0},
        {"default_hold_seconds": 301},
        {"default_rest_seconds": 601},
        {"default_reps": "", "default_hold_seconds": None},
        {"name": ""},
    ],
)
def test_database_refuses_impossible_rows(overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_exercise(**overrides)
    assert Exercise.objects.count() == 0


def test_natural_key_is_the_slug(exercise):
    assert exercise.natural_key() == ("standing-hamstring-curl",)
    assert Exercise.objects.get_by_natural_key("standing-hamstring-curl") == exercise


def test_full_clean_explains_a_bad_rep_scheme(exercise):
    exercise.default_reps = "12,10"
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert "lists 2 sets (12,10) but the prescription has 3" in str(error.value.message_dict)


def test_full_clean_needs_reps_or_hold(exercise):
    exercise.default_reps = ""
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert error.value.message_dict["default_reps"] == ["Give a rep scheme or a hold time."]


def test_full_clean_rejects_a_bad_tempo(exercise):
    exercise.default_tempo = "slow"
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert "four phases" in error.value.message_dict["default_tempo"][0]


def test_text_fields_split_into_lines(exercise):
    assert exercise.instruction_steps == [
        "Stand tall holding a chair.",
        "Bend one knee.",
        "Lower slowly.",
    ]
    assert exercise.stop_list == ["Sharp pain."]


def test_active_hides_retired_exercises(exercise):
    make_exercise(slug="old", name="Old move", is_active=False)
    assert list(Exercise.objects.active()) == [exercise]
