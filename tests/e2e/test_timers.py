import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_exercise, make_patient, make_program, prescribe
from tests.e2e.helpers import (
    PASSWORD,
    csp_errors,
    demo,
    sign_in,
    start_session,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session_page(live_server, page, therapist):
    demo(therapist)
    page.clock.install()
    sign_in(page, live_server.url)
    start_session(page)
    expect(page.locator("#session-progress")).to_contain_text("Step 1 of 4")
    return page


def test_tempo_pacing_counts_the_lowering(session_page):
    page = session_page
    console = watch_console(page)
    live = page.locator("#timer-live")
    display = page.locator("[data-timer-display]")
    page.get_by_role("button", name="Pace me").click()
    expect(live).to_have_text("Get ready")
    page.clock.run_for(3100)
    expect(live).to_have_text("Rep 1 of 3. Lower…")
    expect(page.locator("[data-timer-count]")).to_have_text("Rep 1 of 3")
    expect(display).to_have_text("Lower…")
    page.clock.run_for(1000)
    expect(display).to_have_text("Lower… 2 s…")  # seconds of the lowering, never "2…" alone
    page.clock.run_for(1000)
    expect(display).to_have_text("Lower… 2 s… 3 s…")
    expect(page.locator("[data-timer-count]")).to_have_text("Rep 1 of 3")
    page.clock.run_for(2600)  # the fourth second, then "Up"
    expect(page.locator("[data-timer-count]")).to_have_text("Rep 2 of 3")
    page.get_by_role("button", name="Stop the timer").click()
    expect(display).to_have_text("Timer stopped.")
    assert csp_errors(console) == []


def test_rest_starts_after_a_set_and_can_be_skipped(session_page):
    page = session_page
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 2 of 4")
    expect(page.locator("#timer-live")).to_contain_text("Rest for 30 seconds")
    page.clock.run_for(5000)
    expect(page.locator("[data-timer-display]")).to_have_text("Rest: 25 s")
    page.get_by_role("button", name="Skip the rest").click()
    expect(page.locator("[data-timer-display]")).to_have_text("Rest skipped.")
    expect(page.get_by_role("button", name="Done")).to_be_enabled()


def test_hold_countdown_with_a_get_ready_count(session_page):
    page = session_page
    for step in (2, 3):
        page.get_by_role("button", name="Done").click()
        expect(page.locator("#session-progress")).to_contain_text(f"Step {step} of 4")
    page.get_by_role("button", name="Hold timer (10 s)").click()
    page.clock.run_for(3100)
    expect(page.locator("#timer-live")).to_have_text("Hold for 10 seconds")
    page.clock.run_for(10_000)
    expect(page.locator("#timer-live")).to_have_text("Relax. Well done.")


def test_sound_setting_is_remembered(session_page):
    page = session_page
    beep = page.get_by_label("Beep")
    expect(beep).not_to_be_checked()
    beep.check()
    page.reload()
    expect(page.get_by_label("Beep")).to_be_checked()


def test_a_timer_started_during_the_rest_keeps_its_stop_button(session_page):
    page = session_page
    for step in (2, 3):
        page.get_by_role("button", name="Done").click()
        expect(page.locator("#session-progress")).to_contain_text(f"Step {step} of 4")
    expect(page.locator("#timer-live")).to_contain_text("Rest for 30 seconds")  # by itself
    page.clock.run_for(2000)
    page.get_by_role("button", name="Hold timer (10 s)").click()
    display = page.locator("[data-timer-display]")
    expect(display).to_have_text(
        re.compile(r"^Get ready… \d$")
    )  # not the ended rest's "Rest skipped."
    stop = page.get_by_role("button", name="Stop the timer")
    expect(stop).to_be_visible()
    page.clock.run_for(5000)
    expect(display).to_have_text(re.compile(r"^Hold: [4-8] s$"))
    expect(stop).to_be_visible()  # for the whole hold
    stop.click()
    expect(display).to_have_text("Timer stopped.")
    expect(stop).to_be_hidden()


def test_the_hold_timer_counts_every_hold_of_the_set(live_server, page, therapist):
    patient = make_patient(therapist, password=PASSWORD)
    floss = make_exercise(slug="floss", name="Lying floss", kind="nerve_glide", position="lying")
    program = make_program(patient, start_date=timezone.localdate())
    prescribe(
        program, floss, sets=1, reps="3", hold_seconds=8, frequency="daily", frequency_count=1
    )
    page.clock.install()
    sign_in(page, live_server.url)
    start_session(page)
    live, count = page.locator("#timer-live"), page.locator("[data-timer-count]")
    display = page.locator("[data-timer-display]")
    page.get_by_role("button", name="Hold timer (3 × 8 s)").click()
    page.clock.run_for(3100)
    expect(live).to_have_text("Rep 1 of 3. Hold for 8 seconds")
    expect(count).to_have_text("Rep 1 of 3")
    page.clock.run_for(8000)
    expect(display).to_contain_text("Relax")
    page.clock.run_for(3000)
    expect(live).to_have_text("Rep 2 of 3. Hold for 8 seconds")
    expect(count).to_have_text("Rep 2 of 3")
    page.clock.run_for(11_000 + 8000)
    expect(live).to_have_text("Relax. Well done: that's 3 holds.")
    expect(count).to_have_text("")
