import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import csp_errors, demo, sign_in, start_session, watch_console

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
    page.get_by_role("button", name="Pace me").click()
    expect(live).to_have_text("Get ready")
    page.clock.run_for(3100)
    expect(live).to_have_text("Rep 1: Lower…")
    page.clock.run_for(2000)
    expect(live).to_have_text("3…")
    page.get_by_role("button", name="Stop the timer").click()
    expect(page.locator("[data-timer-display]")).to_have_text("Timer stopped.")
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
