"""Library fixtures carry every exercise in English and Spanish; loaddata refuses one that doesn't."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from exercises.models import Exercise
from exercises.translation import LINE_FIELDS, PATIENT_TEXT_FIELDS
from tests.exercises.test_fixtures import SHIPPED, fields, write_fixture

pytestmark = pytest.mark.django_db

SHIPPED_ROWS = {row["fields"]["slug"]: row["fields"] for row in json.loads(SHIPPED.read_text())}
EVERYWHERE = "every exercise in the library needs its patient text in English and Spanish"


def lines(text):
    return [line for line in text.splitlines() if line.strip()]


def test_the_shipped_library_loads_both_languages_and_keeps_the_english():
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    assert Exercise.objects.count() == len(SHIPPED_ROWS) == 19
    for exercise in Exercise.objects.all():
        row = SHIPPED_ROWS[exercise.slug]
        for name in PATIENT_TEXT_FIELDS:
            english, spanish = getattr(exercise, f"{name}_en"), getattr(exercise, f"{name}_es")
            assert english == row[f"{name}_en"], (exercise.slug, name)
            assert spanish == row[f"{name}_es"], (exercise.slug, name)
            assert bool(english) == bool(spanish), (exercise.slug, name)
            if name in LINE_FIELDS:
                assert len(lines(spanish)) == len(lines(english)), (exercise.slug, name)
        assert exercise.summary_es != exercise.summary_en, exercise.slug
        assert exercise.stop_if_es != exercise.stop_if_en, exercise.slug
        with translation.override("es"):
            assert exercise.stop_list == lines(row["stop_if_es"])
        with translation.override("en"):
            assert exercise.stop_list == lines(row["stop_if_en"])


def test_loading_in_a_spanish_shell_still_keeps_english_in_the_untranslated_columns():
    with translation.override("es"):
        call_command("loaddata", "hamstring_exercises", verbosity=0)
    row = Exercise.objects.raw_values("name", "stop_if").get(slug="seated-slump-slider")
    assert row["name"] == SHIPPED_ROWS["seated-slump-slider"]["name_en"]
    assert row["stop_if"] == SHIPPED_ROWS["seated-slump-slider"]["stop_if_en"]


def without(key, **overrides):
    return {k: v for k, v in fields(**overrides).items() if k != key}


MISSING = [
    (
        fields(summary_es=""),
        f"object 2 (nordic-curl), field “summary_es”: the Spanish text is missing: {EVERYWHERE}",
    ),
    (without("stop_if_es"), f"field “stop_if_es”: the Spanish text is missing: {EVERYWHERE}"),
    (fields(name_es="  "), f"field “name_es”: the Spanish text is missing: {EVERYWHERE}"),
    (
        fields(cues_en="Go slowly"),
        "field “cues_es”: the English text is there but the Spanish is empty: write it in "
        "every language or leave it out in all",
    ),
    (
        fields(stop_if_en="Sharp pain.\nNumbness that lasts."),
        "field “stop_if_es”: the Spanish has 1 line(s) and the English 2: translate each line "
        "on its own line",
    ),
    (
        fields(instructions_es="Ponte de rodillas e inclínate hacia delante despacio."),
        "field “instructions_es”: the Spanish has 1 line(s) and the English 2",
    ),
]


@pytest.mark.parametrize(("broken", "message"), MISSING)
def test_spanish_missing_is_named_by_slug_and_field_and_changes_nothing(tmp_path, broken, message):
    call_command("loaddata", write_fixture(tmp_path, [fields(slug="good-one")]), verbosity=0)
    before = list(Exercise.objects.values_list("slug", "name_en", "name_es"))
    edited = fields(slug="good-one", name_en="Renamed in this file")
    with pytest.raises(CommandError) as error:
        call_command("loaddata", write_fixture(tmp_path, [edited, broken]), verbosity=0)
    assert message in str(error.value)
    assert str(error.value).startswith("Nothing was loaded")
    assert list(Exercise.objects.values_list("slug", "name_en", "name_es")) == before


def test_a_refused_load_does_not_say_it_installed_anything(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("loaddata", write_fixture(tmp_path, [fields(name_es="")]), stdout=out)
    assert "Installed" not in out.getvalue()
    assert Exercise.objects.count() == 0


def english_only():
    return {k: v for k, v in fields().items() if not k.endswith("_es")}


def test_an_english_only_library_file_lists_each_missing_spanish_field(tmp_path, capsys):
    path = write_fixture(tmp_path, [english_only()])
    with pytest.raises(CommandError, match="5 problem"):
        call_command("check_fixture", path)
    out = capsys.readouterr().out
    for name in ("name_es", "summary_es", "instructions_es", "stop_if_es"):
        assert f"object 1 (nordic-curl), field “{name}”: the Spanish text is missing" in out
    assert "“image_alt_es”: the English text is there but the Spanish is empty" in out
    assert Exercise.objects.count() == 0


def test_an_older_file_with_untranslated_keys_is_read_as_english(tmp_path):
    older = {k.removesuffix("_en"): v for k, v in english_only().items()}
    assert "name" in older and "name_en" not in older
    with translation.override("es"), pytest.raises(CommandError) as error:
        call_command("loaddata", write_fixture(tmp_path, [older]), verbosity=0)
    assert "field “name_es”: the Spanish text is missing" in str(error.value)
    assert "name_en" not in str(error.value)


def test_allow_untranslated_loads_english_only_and_spanish_readers_get_the_english(tmp_path):
    path = write_fixture(tmp_path, [english_only()])
    call_command("loaddata", path, allow_untranslated=True, verbosity=0)
    exercise = Exercise.objects.get()
    assert exercise.name_es is None
    with translation.override("es"):
        assert exercise.name == "Nordic curl"


def test_a_file_with_records_restores_english_only_exercises_as_they_were(tmp_path):
    """A backup or a patient's record also holds users, patients...: restored, not reviewed."""
    path = write_fixture(tmp_path, [english_only()])
    rows = json.loads((tmp_path / "library.json").read_text())
    rows.append({"model": "auth.group", "fields": {"name": "Front desk", "permissions": []}})
    (tmp_path / "library.json").write_text(json.dumps(rows))
    call_command("loaddata", path, verbosity=0)
    assert Exercise.objects.get().name_en == "Nordic curl"


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_every_exercises_text_into_english():
    """Upgrading: rows written before the language columns keep their text, as English."""
    before, after = (
        ("exercises", "0002_plausible_ranges"),
        ("exercises", "0003_patient_text_per_language"),
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps.get_model("exercises", "Exercise")
        old.objects.create(
            slug="old-row",
            name="Old curl",
            kind="concentric",
            summary="Written before Spanish.",
            instructions="Stand.\nCurl.",
            cues="Slowly",
            stop_if="Sharp pain.",
            position="standing",
            default_reps="10",
        )
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps.get_model("exercises", "Exercise")
        row = new.objects.get(slug="old-row")
        assert (row.name_en, row.summary_en, row.instructions_en) == (
            "Old curl",
            "Written before Spanish.",
            "Stand.\nCurl.",
        )
        assert (row.cues_en, row.stop_if_en, row.mistakes_en) == ("Slowly", "Sharp pain.", "")
        assert row.name_es is None and row.summary_es is None
        # And back: the untranslated columns take the English as it was last edited.
        new.objects.filter(pk=row.pk).update(summary_en="Edited in English.")
        executor = MigrationExecutor(connection)
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps.get_model("exercises", "Exercise")
        assert old.objects.get(slug="old-row").summary == "Edited in English."
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    with translation.override("es"):
        assert Exercise.objects.get(slug="old-row").summary == "Edited in English."
