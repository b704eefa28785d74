"""The exercise text in English and Spanish: the model, the patient pages and the admin."""

import pytest
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from exercises.models import Exercise
from programs.models import SetLog
from programs.views.session import _summary
from tests.conftest import make_exercise

pytestmark = pytest.mark.django_db

SPANISH = {
    "name_es": "Flexión de rodilla de pie",
    "summary_es": "Doblas la rodilla para subir el talón.",
    "instructions_es": "Ponte de pie junto a una silla.\nDobla una rodilla.\nBaja despacio.",
    "cues_es": "Mantén los muslos juntos.",
    "mistakes_es": "Inclinarte hacia delante.",
    "stop_if_es": "Dolor punzante.",
    "equipment_es": "Una silla",
    "image_alt_es": "Una persona de pie dobla una rodilla.",
}


def in_spanish(exercise, **fields):
    """The exercise with its Spanish text written, as the library fixture gives it."""
    Exercise.objects.filter(pk=exercise.pk).update(**{**SPANISH, **fields})
    return Exercise.objects.get(pk=exercise.pk)


def test_the_text_is_the_active_languages(exercise):
    exercise = in_spanish(exercise)
    with translation.override("es"):
        assert exercise.name == "Flexión de rodilla de pie"
        assert exercise.instruction_steps == [
            "Ponte de pie junto a una silla.",
            "Dobla una rodilla.",
            "Baja despacio.",
        ]
        assert exercise.stop_list == ["Dolor punzante."]
        assert exercise.image_alt == "Una persona de pie dobla una rodilla."
    for english in ("en", "en-gb"):  # LANGUAGE_CODE is en-gb; its columns are the _en ones
        with translation.override(english):
            assert exercise.name == "Standing hamstring curl"
            assert exercise.cue_list == ["Keep your thighs level."]


@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_spanish_field_shows_the_english(exercise, empty):
    exercise = in_spanish(exercise, summary_es=empty, stop_if_es=empty)
    with translation.override("es"):
        assert exercise.name == "Flexión de rodilla de pie"
        assert exercise.summary == "Bend your knee to bring your heel up."
        assert exercise.stop_list == ["Sharp pain."]


def test_editing_in_spanish_writes_the_spanish_and_keeps_the_english_column(exercise):
    with translation.override("es"):
        exercise.summary = "Sube el talón hacia los glúteos."
        exercise.save()
    exercise.refresh_from_db()
    assert exercise.summary_es == "Sube el talón hacia los glúteos."
    assert exercise.summary_en == "Bend your knee to bring your heel up."
    # The untranslated column, read by queries that bypass the translation (a related
    # .values("exercise__summary")), stays English whatever language saved the row.
    assert Exercise.objects.raw_values("summary").get()["summary"] == exercise.summary_en


def test_library_page_in_spanish(client, exercise):
    in_spanish(exercise)
    response = client.get("/library/standing-hamstring-curl/", HTTP_ACCEPT_LANGUAGE="es")
    assertContains(response, "<h1>Flexión de rodilla de pie</h1>", html=True)
    assertContains(response, "<li>Dobla una rodilla.</li>", html=True)
    assertContains(response, "<li>Dolor punzante.</li>", html=True)
    assertContains(response, "Mantén los muslos juntos.")
    assertNotContains(response, "Bend one knee.")
    english = client.get("/library/standing-hamstring-curl/", HTTP_ACCEPT_LANGUAGE="en")
    assertContains(english, "<li>Bend one knee.</li>", html=True)


def test_library_list_in_spanish_costs_the_same_one_query(
    client, exercise, django_assert_num_queries
):
    in_spanish(exercise)
    with django_assert_num_queries(1):
        response = client.get("/library/", HTTP_ACCEPT_LANGUAGE="es")
    assertContains(response, "Flexión de rodilla de pie")


def spanish_speaker(patient):
    patient.language = "es"
    patient.save(update_fields=["language"])


def test_a_spanish_patients_session_step_is_in_spanish(alice, patient, session, exercise):
    in_spanish(exercise, cues_es="")
    spanish_speaker(patient)
    response = alice.get(session.get_absolute_url())
    assertContains(response, "Flexión de rodilla de pie")
    assertContains(response, "<li>Dobla una rodilla.</li>", html=True)
    assertNotContains(response, "Bend one knee.")
    # No Spanish cue written: the English one, rather than none.
    assertContains(response, "Keep your thighs level.")


def test_an_english_patients_session_step_stays_english(alice, session, exercise):
    in_spanish(exercise)
    response = alice.get(session.get_absolute_url())
    assertContains(response, "<li>Bend one knee.</li>", html=True)
    assertNotContains(response, "Dobla una rodilla.")


def test_a_spanish_patients_plan_page_is_in_spanish(alice, patient, program, exercise):
    in_spanish(exercise)
    spanish_speaker(patient)
    response = alice.get("/program/")
    assertContains(response, "Flexión de rodilla de pie")
    assertContains(response, "<li>Baja despacio.</li>", html=True)


def test_the_session_summary_names_stopped_steps_in_spanish_in_one_query(
    session, exercise, django_assert_num_queries
):
    in_spanish(exercise)
    session.set_logs.update(status=SetLog.Status.STOPPED, logged_at=timezone.now(), pain=6)
    with translation.override("es"), django_assert_num_queries(1):
        summary = _summary(session)
        names = {step.exercise.name for step in summary["stopped_steps"]}
    assert len(summary["stopped_steps"]) == 3
    assert names == {"Flexión de rodilla de pie"}


# The admin ---------------------------------------------------------------------------------


def test_the_admin_shows_both_languages_in_the_same_fieldsets(admin_client, exercise):
    in_spanish(exercise)
    response = admin_client.get(f"/admin/exercises/exercise/{exercise.pk}/change/")
    assertContains(response, "For the patient")
    for name in ("name", "summary", "instructions", "cues", "mistakes", "stop_if"):
        assertContains(response, f'id="id_{name}_en"')
        assertContains(response, f'id="id_{name}_es"')
    assertContains(response, 'id="id_image_alt_es"')
    assertContains(response, 'id="id_equipment_es"')
    assertContains(response, "Flexión de rodilla de pie")
    assertContains(response, "Standing hamstring curl")
    assert not response.context["adminform"].form.errors


def test_the_admin_saves_each_language(admin_client):
    data = {
        "slug": "heel-dig",
        "kind": "concentric",
        "position": "lying",
        "name_en": "Heel dig",
        "name_es": "Talón al suelo",
        "summary_en": "Press your heel into the floor.",
        "summary_es": "Aprieta el talón contra el suelo.",
        "instructions_en": "Lie down.\nDig your heel in.",
        "instructions_es": "Acuéstate.\nAprieta el talón.",
        "stop_if_en": "Sharp pain.",
        "stop_if_es": "Dolor punzante.",
        "default_sets": "3",
        "default_hold_seconds": "5",
        "default_rest_seconds": "30",
        "is_active": "on",
    }
    response = admin_client.post("/admin/exercises/exercise/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(slug="heel-dig")
    assert (exercise.name_en, exercise.name_es) == ("Heel dig", "Talón al suelo")
    assert exercise.instructions_es == "Acuéstate.\nAprieta el talón."
    with translation.override("es"):
        assert exercise.summary == "Aprieta el talón contra el suelo."


def test_the_admin_refuses_spanish_that_drops_a_stop_rule(admin_client, exercise):
    in_spanish(exercise)
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    data = {
        "slug": exercise.slug,
        "kind": exercise.kind,
        "position": exercise.position,
        "name_en": exercise.name_en,
        "summary_en": exercise.summary_en,
        "instructions_en": exercise.instructions_en,
        "stop_if_en": "Sharp pain.\nNumbness that lasts.",
        "stop_if_es": "Dolor punzante.",
        "default_sets": "3",
        "default_reps": "10",
        "default_rest_seconds": "60",
        "is_active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["stop_if_es"] == [
        "The Spanish has 1 line(s) and the English 2: put each line's translation on its own "
        "line, so no step or stop rule is left out."
    ]
    exercise.refresh_from_db()
    assert exercise.stop_if_en == "Sharp pain."


def test_the_admin_search_finds_spanish_words(admin_client, exercise):
    in_spanish(exercise)
    make_exercise(slug="other", name="Nordic curl")
    response = admin_client.get("/admin/exercises/exercise/?q=rodilla")
    assertContains(response, "Standing hamstring curl")
    assertNotContains(response, "Nordic curl")
