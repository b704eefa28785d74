"""axe-core on every patient page at 360 px, no CSP errors; `make screenshots` saves them to docs/.

The pages show what a newcomer sees: the shipped library and seed_demo's patient Sam, with a
first week of sessions, on a fixed day (the test clock), so the screenshots are the same each run.
"""

import datetime

import pytest
from playwright.sync_api import expect

from programs.models import Program, SigninLink
from tests.conftest import MONDAY, days
from tests.e2e.helpers import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    check_page,
    csp_errors,
    shipped_demo,
    sign_in_as,
    wait_for_htmx,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
THURSDAY = MONDAY + days(3)  # Sam did Monday's and Wednesday's sessions


def open_menu(page):
    page.get_by_text("Menu", exact=True).click()


def test_sign_in_pages(live_server, page, protocols, clock):
    sam = shipped_demo()
    console = watch_console(page)
    page.goto(live_server.url + "/accounts/login/")
    check_page(page, "login")
    page.goto(live_server.url + "/accounts/link/")
    check_page(page, "link-request")
    page.get_by_label("Your email").fill("nobody@example.test")
    page.get_by_role("button", name="Send me a link").click()
    check_page(page, "link-sent")

    _, token = SigninLink.issue(sam)
    page.goto(f"{live_server.url}/accounts/link/{token}/")
    check_page(page, "link-confirm")
    page.get_by_role("button", name="Sign me in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You're signed in")
    check_page(page, "password-set")
    page.get_by_role("link", name="Skip for now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    page.goto(f"{live_server.url}/accounts/link/{token}/")  # the card, scanned again
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/link/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    check_page(page, "link-used")

    Program.objects.filter(patient=sam).update(status="draft")  # the therapist is still writing
    sign_in_as(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    check_page(page, "no-program")
    assert csp_errors(console) == []


def test_patient_pages(live_server, page, protocols, clock):
    shipped_demo(done_on=[MONDAY, MONDAY + days(2)])
    clock.set(THURSDAY)
    console = watch_console(page)
    sign_in_as(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    check_page(page, "today")
    page.get_by_role("button", name="Start session").click()
    wait_for_htmx(page)
    expect(page.locator("#session-progress")).to_contain_text("Step 1 of 10")
    check_page(page, "session-step")
    page.get_by_text("How to do it").click()
    check_page(page, "session-how")
    for number in (2, 3):  # no rest between the legs of one set; after the set, rest
        page.get_by_role("button", name="Done").click()
        expect(page.locator("#session-progress")).to_contain_text(f"Step {number} of 10")
    expect(page.get_by_role("button", name="Skip the rest")).to_be_visible()
    check_page(page, "session-rest")
    page.get_by_role("button", name="Skip the rest").click()
    page.locator("summary", has_text="Skip this set").click()
    page.get_by_label("Another reason").check()
    check_page(page, "session-skip")
    page.get_by_role("link", name="Stop: this hurts").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Stop:")
    check_page(page, "session-stop")
    page.get_by_text("Go back: I'm all right").click()
    for number in range(3, 11):
        expect(page.locator("#session-progress")).to_contain_text(f"Step {number} of 10")
        page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("All 10 steps done")
    check_page(page, "session-finish")
    page.locator('label[for="id_pain_during_2"]').click()
    page.locator('label[for="id_effort_4"]').click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done. Well done!")
    check_page(page, "session-done")
    for path, name in [
        ("/history/", "history"),
        ("/program/", "program"),
        ("/library/", "library"),
        ("/library/quick-curl-slow-straighten/", "library-detail"),
        ("/accounts/password/", "password-change"),
    ]:
        page.goto(live_server.url + path)
        check_page(page, name)
    open_menu(page)
    check_page(page, "menu")
    assert csp_errors(console) == []


def test_today_for_plans_that_are_not_running(live_server, page, protocols, clock):
    program = shipped_demo(done_on=[MONDAY]).programs.get()
    clock.set(MONDAY + days(1))
    console = watch_console(page)
    sign_in_as(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    today = MONDAY + days(1)
    states = [
        ("plan-upcoming", {"start_date": today + datetime.timedelta(days=3)}, "starts on"),
        (
            "plan-paused",
            {"status": "paused", "status_since": today},
            "is paused since",
        ),
        (
            "plan-finished",
            {"status": "completed", "status_since": today},
            "finished on",
        ),
    ]
    running = {"start_date": program.start_date, "status": "active"}
    running["status_since"] = program.status_since
    for name, fields, words in states:
        _change(program, fields)  # saved, as the admin saves it: the kept Today is out of date
        page.goto(live_server.url + "/")
        expect(page.locator(".plan-status")).to_contain_text(f"Your plan {words}")
        expect(page.get_by_role("button", name="Start session")).to_have_count(0)
        check_page(page, name)
        _change(program, running)
    assert csp_errors(console) == []


def _change(program, fields):
    for name, value in fields.items():
        setattr(program, name, value)
    program.save()
