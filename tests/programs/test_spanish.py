"""Spanish for patients: the dose line, dates and numbers, the reminder, choosing the language."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from creekside import dose_words
from programs import reminders
from programs.models import Patient, Prescription, ReminderSettings
from tests.conftest import LONDON, MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish():
    with translation.override("es"):
        yield


# The dose line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((3, [(10, 10)] * 3, None), "3 series de 10 repeticiones"),
        ((1, [(1, 1)], None), "1 serie de 1 repetición"),
        ((3, [(6, 8)] * 3, None), "3 series de 6 a 8 repeticiones"),
        ((3, [(12, 12), (10, 10), (8, 8)], None), "3 series: 12, luego 10, luego 8 repeticiones"),
        (
            (3, [(10, 10)] * 3, 5),
            "3 series de 10 repeticiones, aguantando 5 segundos en cada repetición",
        ),
        ((2, [None, None], 30), "2 veces aguantando 30 segundos"),
        ((1, [None], 1), "1 vez aguantando 1 segundo"),
        ((2, [(8, 8)] * 2, None, "each"), "2 series de 8 repeticiones con cada pierna"),
        ((2, [(8, 8)] * 2, None, "left"), "2 series de 8 repeticiones con la pierna izquierda"),
    ],
)
def test_the_volume_in_spanish(spanish, args, words):
    assert dose_words.patient_volume(*args) == words


@pytest.mark.parametrize(
    ("function", "args", "words"),
    [
        ("patient_tempo", ("4-0-1-0",), "Baja despacio durante 4 segundos"),
        (
            "patient_tempo",
            ("2-1-3-1",),
            "Aguanta 1 segundo antes de bajar, luego baja despacio durante 2 segundos, "
            "luego para 1 segundo, luego sube durante 3 segundos",
        ),
        ("patient_load", ("red band",), "Usa la banda roja"),
        ("patient_load", ("Theraband red band",), "Usa la banda Theraband red"),
        ("patient_load", ("2.5 kg",), "Usa 2,5 kg"),
        ("patient_load", ("8 lb",), "Usa 8 lb"),
        ("patient_load", ("partner push (gentle)",), "Alguien te ayuda empujando (gentle)"),
        ("patient_effort", (6,), "Cuánto esfuerzo: más o menos 6 de 10"),
        ("patient_frequency", ("per_week", 1), "Una vez a la semana"),
        ("patient_frequency", ("per_week", 2), "Dos veces a la semana"),
        ("patient_frequency", ("per_week", 3), "3 veces a la semana"),
        ("patient_frequency", ("daily", 1), "Todos los días"),
        ("patient_frequency", ("daily", 3), "3 veces al día"),
        ("patient_frequency", ("every_n_days", 2), "Un día sí y otro no"),
        ("patient_frequency", ("every_n_days", 3), "Cada 3 días"),
        ("patient_frequency", ("weekdays", 0, (0, 3)), "Los lunes y jueves"),
        ("patient_frequency", ("weekdays", 0, (0, 2, 4)), "Los lunes, miércoles y viernes"),
    ],
)
def test_the_dose_words_in_spanish(spanish, function, args, words):
    assert getattr(dose_words, function)(*args) == words


def test_a_prescription_reads_in_the_active_language(program, exercise):
    row = Prescription(
        program=program,
        exercise=exercise,
        sets=2,
        reps="8",
        side="each",
        tempo="3-0-1-0",
        load_kind="kg",
        load_amount=Decimal("2.5"),
        effort=4,
        frequency="per_week",
        frequency_count=3,
    )
    with translation.override("es"):
        assert dose_words.patient_dose(row) == [
            "2 series de 8 repeticiones con cada pierna",
            "Baja despacio durante 3 segundos",
            "Usa 2,5 kg",
            "Cuánto esfuerzo: más o menos 4 de 10",
            "3 veces a la semana",
        ]
    assert dose_words.patient_dose(row)[2] == "Use 2.5 kg"  # English keeps its decimal point


# Dates and numbers -------------------------------------------------------------------------


def test_dates_and_decimals_follow_the_language():
    template = Template('{% load i18n %}{{ day|date:_("l j F") }} · {{ day|date:_("j F Y") }}')
    context = Context({"day": datetime.date(2026, 11, 2)})
    with translation.override("es"):
        assert template.render(context) == "lunes 2 de noviembre · 2 de noviembre de 2026"
        assert dose_words.weight_text("12.5 kg") == "12,5 kg"
    with translation.override("en-gb"):
        assert template.render(context) == "Monday 2 November · 2 November 2026"
        assert dose_words.weight_text("12.5 kg") == "12.5 kg"


def test_the_session_page_speaks_spanish(alice, patient, session):
    patient.language = Patient.Language.SPANISH
    patient.save()
    response = alice.get(f"/sessions/{session.pk}/")
    assertContains(response, '<html lang="es">')
    assertContains(response, "Haz <strong>10 repeticiones</strong>.")
    assertContains(response, "Paso 1 de 3")
    assertContains(response, "lunes 2 de noviembre")
    assertContains(response, '"Get ready": "Prep\\u00e1rate"')  # the scripts' words
    assert response["Content-Language"] == "es"


# Emails ------------------------------------------------------------------------------------


def test_the_reminder_email_in_spanish(patient, program, clock):
    patient.language = Patient.Language.SPANISH
    patient.save()
    ReminderSettings.objects.create(
        patient=patient, enabled=True, time_of_day=datetime.time(18), changed=clock.now
    )
    clock.set(datetime.datetime.combine(MONDAY, datetime.time(18), tzinfo=LONDON))
    assert reminders.send_due(clock.now) == 1
    (message,) = mail.outbox
    assert message.subject == "Tus ejercicios de hoy en casa"
    assert message.body.startswith("Hola, Alice Patient:\n")
    assert "Tus ejercicios en casa te esperan cuando quieras." in message.body
    assert "Empezar la sesión de hoy: http" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="es">' in html and "Dejar de recibir estos recordatorios" in html
    assert translation.get_language() != "es"  # the patient's language didn't stay on


# Choosing the language ---------------------------------------------------------------------


def test_the_patient_changes_their_language(alice, patient):
    response = alice.get("/settings/reminders/")
    assertContains(response, 'name="language-language"', count=2)
    response = alice.post("/settings/reminders/", {"language-language": "es"}, follow=True)
    patient.refresh_from_db()
    assert patient.language == "es"
    assertContains(response, "Guardado. Tus páginas y correos estarán en este idioma.")
    assertContains(response, "<h1>Ajustes</h1>")
    assert alice.cookies["django_language"].value == "es"
    change = LogEntry.objects.get_for_object(patient).filter(action=LogEntry.Action.UPDATE)
    assert change.get().changes_dict["language"] == ["en", "es"]
    assert not ReminderSettings.objects.exists()  # the reminders form was not saved


def test_changing_the_language_needs_the_csrf_token(patient, clock):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    response = client.post("/settings/reminders/", {"language-language": "es"})
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.language == "en"


def test_an_unknown_language_is_refused(alice, patient):
    response = alice.post("/settings/reminders/", {"language-language": "fr"})
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    patient.refresh_from_db()
    assert patient.language == "en"


def test_the_therapist_sets_the_language_and_the_admin_stays_english(therapist_client, patient):
    therapist_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    response = therapist_client.get(f"/admin/programs/patient/{patient.pk}/change/")
    assertContains(response, 'name="language"')
    assertContains(response, '<option value="es">Español</option>')
    assertNotContains(response, "Guardar")  # Django's own Spanish stays out of the admin
    assert response["Content-Language"] == "en-gb"


def test_signed_out_pages_follow_the_browser_then_the_patients_choice(alice, patient):
    assertContains(Client(headers={"accept-language": "es"}).get("/accounts/login/"), "Entrar")
    assertContains(Client().get("/accounts/login/"), "Sign in")
    patient.language = "es"
    patient.save()
    alice.get("/")  # a patient page leaves the patient's language in a cookie
    alice.post("/accounts/logout/")
    assertContains(alice.get("/accounts/login/"), "<h1>Entrar</h1>")
