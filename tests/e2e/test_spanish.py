"""A Spanish-reading patient in a real browser: a whole session, the timers' words, the email.

With SAVE_SCREENSHOTS=1 (make screenshots) this saves docs/screenshots/session-step-es.png (the
shipped library's first step, for seed_demo's Lucía), session-timers-es.png and
reminder-email-es.png at 360 px.
"""

import datetime
import os

import pytest
from django.core import mail
from playwright.sync_api import expect

from programs import reminders
from programs.models import Patient, ReminderSettings, SetLog
from tests.conftest import MONDAY
from tests.e2e.helpers import (
    SCREENSHOTS,
    SETTLED,
    check_page,
    csp_errors,
    demo,
    shipped_demo,
    sign_in,
    sign_in_as,
    wait_for_htmx,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lucia(therapist):
    patient = demo(therapist)
    patient.language = "es"
    patient.save()
    return patient


def test_the_session_step_and_its_timers_speak_spanish(live_server, page, lucia):
    console = watch_console(page)
    page.clock.install()
    sign_in(page, live_server.url)  # signed out, the browser's English: "Sign in"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="Empezar la sesión").click()
    page.wait_for_load_state()
    expect(page.locator("#session-progress")).to_contain_text("Paso 1 de 4")
    expect(page.locator("#step-dose")).to_contain_text("Haz 3 repeticiones.")
    expect(page.locator("#step-dose")).to_contain_text("Baja despacio durante 4 segundos.")
    expect(page.get_by_role("button", name="Hecho")).to_be_visible()
    check_page(page, "session-timers-es")
    live = page.locator("#timer-live")
    page.get_by_role("button", name="Llévame el ritmo").click()
    expect(live).to_have_text("Prepárate")
    page.clock.run_for(3100)
    expect(live).to_have_text("Repetición 1 de 3. Baja…")
    page.clock.run_for(1000)
    expect(page.locator("[data-timer-display]")).to_have_text("Baja… 2 s…")
    page.get_by_role("button", name="Parar el temporizador").click()
    expect(page.locator("[data-timer-display]")).to_have_text("Temporizador parado.")
    page.get_by_role("button", name="Hecho").click()
    expect(page.locator("#session-progress")).to_contain_text("Paso 2 de 4")
    expect(live).to_contain_text("Descansa 30 segundos. Puedes saltarte el descanso.")
    page.clock.run_for(5000)
    expect(page.locator("[data-timer-display]")).to_have_text("Descanso: 25 s")
    assert csp_errors(console) == []


def test_lucia_does_a_whole_session_in_spanish(live_server, page, protocols, clock):
    """seed_demo's Lucía on the shipped library: every step, the finish and the done page."""
    shipped_demo()
    lucia = Patient.objects.get(email="lucia@example.com")
    assert lucia.language == "es"
    console = watch_console(page)
    sign_in_as(page, live_server.url, "lucia@example.com", "paciente-demo")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_page(page, "today-es")
    page.get_by_role("button", name="Empezar la sesión").click()
    wait_for_htmx(page)
    session = lucia.programs.get().sessions.get()
    steps = list(session.set_logs.select_related("exercise").order_by("position"))
    for number, step in enumerate(steps, start=1):
        page.wait_for_function(SETTLED)
        label = page.locator("#progress-label")
        expect(label).to_contain_text(f"Paso {number} de {len(steps)}")
        # The exercise's own words come from the library's Spanish text.
        expect(page.locator("#step-title")).to_contain_text(step.exercise.name_es)
        if number == 1:
            check_page(page, "session-step-es")
        page.locator("#done-button").click()
    expect(page.locator("#progress-label")).to_contain_text(f"Hiciste los {len(steps)} pasos")
    page.wait_for_function(SETTLED)
    check_page(page, "session-finish-es")
    page.locator('label[for="id_pain_during_1"]').click()
    page.locator('label[for="id_effort_3"]').click()
    page.locator("#finish-button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sesión hecha. ¡Muy bien!")
    check_page(page, "session-done-es")
    session.refresh_from_db()
    assert session.finished is not None and (session.pain_during, session.effort) == (1, 3)
    assert not session.set_logs.filter(status=SetLog.Status.PENDING).exists()
    assert csp_errors(console) == []


def test_the_reminder_email_in_spanish(clock, page, lucia):
    # The test clock (asked for first, so Lucía's plan is built on its day): at 18:00 London.
    clock.set(MONDAY, hour=17)
    ReminderSettings.objects.create(
        patient=lucia,
        enabled=True,
        session_days_only=False,
        time_of_day=datetime.time(18),
        changed=clock.now,
    )
    clock.set(MONDAY, hour=18)
    assert reminders.send_due(clock.now) == 1
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    page.set_content(html)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Empezar la sesión de hoy")).to_be_visible()
    expect(page.get_by_text("Dejar de recibir estos recordatorios")).to_be_visible()
    if os.environ.get("SAVE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "reminder-email-es.png", full_page=True)
