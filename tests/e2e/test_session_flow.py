import pytest
from playwright.sync_api import expect

from programs.models import ExerciseSession
from tests.e2e.helpers import (
    EMAIL,
    PASSWORD,
    csp_errors,
    demo,
    sign_in,
    start_session,
    tab_to,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_whole_session_by_keyboard_alone(live_server, page, therapist):
    demo(therapist)
    console = watch_console(page)
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus, before typing
    page.keyboard.type(EMAIL)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")

    tab_to(page, "button.primary")
    page.keyboard.press("Enter")
    progress = page.locator("#session-progress")
    expect(progress).to_contain_text("Step 1 of 4")
    # htmx is a deferred script: wait until it has loaded and processed the page.
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    settled = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    for number in (2, 3, 4):
        page.wait_for_function(settled)  # the new card is wired up once htmx has settled
        tab_to(page, "#done-button")
        with page.expect_response("**/complete/") as response:
            page.keyboard.press("Enter")
        assert response.value.request.headers.get("hx-request") == "true"
        expect(progress).to_contain_text(f"Step {number} of 4")
    tab_to(page, "#done-button")
    page.keyboard.press("Enter")
    expect(progress).to_contain_text("All 4 steps done")

    tab_to(page, 'input[name="pain_during"]')
    page.keyboard.press("Space")
    tab_to(page, 'input[name="effort"]')
    page.keyboard.press("Space")
    tab_to(page, "textarea")
    page.keyboard.type("Easy today.")
    tab_to(page, "#finish-button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done. Well done!")
    expect(page.locator(".summary")).to_contain_text("You did 4 of 4 sets")

    tab_to(page, 'a[href="/history/"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your history")
    expect(page.locator("#sessions-table tbody tr")).to_have_count(1)
    expect(page.locator("#sessions-table")).to_contain_text("4 of 4")
    session = ExerciseSession.objects.get()
    assert (session.pain_during, session.effort, session.note) == (0, 0, "Easy today.")
    assert csp_errors(console) == []


def test_the_same_flow_without_javascript(live_server, browser, therapist):
    demo(therapist)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url)
    start_session(page)
    expect(page.locator("#session-progress")).to_contain_text("Step 1 of 4")
    page.get_by_label("Reps done").fill("2")
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 2 of 4")

    page.get_by_text("Skip this set", exact=True).first.click()  # opens the <details>
    page.get_by_role("button", name="Skip this set").click()  # the browser asks for a reason
    expect(page.locator("#session-progress")).to_contain_text("Step 2 of 4")
    page.get_by_label("No time").check()
    page.get_by_role("button", name="Skip this set").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 3 of 4")

    page.get_by_role("link", name="Stop: this hurts").click()
    page.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Stop this exercise").click()
    expect(page.locator("#step-card")).to_contain_text("We stopped Seated slump slider")

    page.get_by_role("button", name="Finish session").click()  # the browser asks for the scales
    expect(page.locator("#session-progress")).to_contain_text("All 4 steps done")
    page.locator('input[name="pain_during"][value="2"]').check()
    page.locator('input[name="effort"][value="4"]').check()
    page.get_by_role("button", name="Finish session").click()
    expect(page.locator(".summary")).to_contain_text("You did 1 of 4 sets")
    expect(page.locator(".calm-box")).to_contain_text("What happens next")
    steps = list(ExerciseSession.objects.get().set_logs.values_list("status", "reps_done"))
    assert steps == [("done", 2), ("skipped", None), ("stopped", None), ("skipped", None)]
    context.close()


def test_each_new_step_comes_into_view_on_a_phone(live_server, page, therapist):
    demo(therapist)
    sign_in(page, live_server.url)
    start_session(page)
    for number in (2, 3):
        page.locator("#done-button").click()
        expect(page.locator("#session-progress")).to_contain_text(f"Step {number} of 4")
        expect(page.locator("#progress-label")).to_be_in_viewport()
        expect(page.locator("#step-title")).to_be_in_viewport()
