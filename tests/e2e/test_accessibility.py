"""axe-core on every patient page at 360 px, no CSP errors; SAVE_SCREENSHOTS=1 saves them to docs/."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program, SigninLink
from tests.e2e.helpers import check_page, csp_errors, demo, sign_in, start_session, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_pages(live_server, page, cara):
    console = watch_console(page)
    page.goto(live_server.url + "/accounts/login/")
    check_page(page, "login")
    page.goto(live_server.url + "/accounts/link/")
    check_page(page, "link-request")
    page.get_by_label("Your email").fill("nobody@example.test")
    page.get_by_role("button", name="Send me a link").click()
    check_page(page, "link-sent")

    _, token = SigninLink.issue(cara)
    page.goto(f"{live_server.url}/accounts/link/{token}/")
    check_page(page, "link-confirm")
    page.get_by_role("button", name="Sign me in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You're signed in")
    check_page(page, "password-set")
    page.get_by_role("link", name="Skip for now").click()
    check_page(page, "no-program")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/link/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    check_page(page, "link-used")
    assert csp_errors(console) == []


def test_patient_pages(live_server, page, therapist):
    demo(therapist, past_sessions=5)
    console = watch_console(page)
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    check_page(page, "today")
    start_session(page)
    expect(page.locator("#session-progress")).to_contain_text("Step 1 of 4")
    page.get_by_text("How to do it").click()
    check_page(page, "session-step")
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 2 of 4")
    page.get_by_role("button", name="Skip the rest").click()
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 3 of 4")
    check_page(page, "session-hold")
    page.get_by_role("link", name="Stop: this hurts").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Stop:")
    check_page(page, "session-stop")
    page.get_by_text("Go back: I'm all right").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 3 of 4")
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("Step 4 of 4")
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#session-progress")).to_contain_text("All 4 steps done")
    check_page(page, "session-finish")
    page.locator('label[for="id_pain_during_6"]').click()
    page.locator('label[for="id_effort_5"]').click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done. Well done!")
    check_page(page, "session-done")
    for path, name in [
        ("/history/", "history"),
        ("/program/", "program"),
        ("/library/", "library"),
        ("/library/slider-hamstring-curl/", "library-detail"),
        ("/accounts/password/", "password-change"),
    ]:
        page.goto(live_server.url + path)
        check_page(page, name)
    assert csp_errors(console) == []


def test_today_for_plans_that_are_not_running(live_server, page, therapist):
    program = demo(therapist, past_sessions=2).programs.get()
    console = watch_console(page)
    sign_in(page, live_server.url)
    today = timezone.localdate()
    states = [
        ("plan-upcoming", {"start_date": today + datetime.timedelta(days=3)}, "starts on"),
        (
            "plan-paused",
            {"status": "paused", "status_since": today - datetime.timedelta(days=2)},
            "is paused since",
        ),
        (
            "plan-finished",
            {"status": "completed", "status_since": today - datetime.timedelta(days=2)},
            "finished on",
        ),
    ]
    for name, fields, words in states:
        Program.objects.filter(pk=program.pk).update(**fields)
        page.goto(live_server.url + "/")
        expect(page.locator(".plan-status")).to_contain_text(f"Your plan {words}")
        expect(page.get_by_role("button", name="Start session")).to_have_count(0)
        check_page(page, name)
        Program.objects.filter(pk=program.pk).update(
            start_date=program.start_date, status="active", status_since=program.status_since
        )
    assert csp_errors(console) == []
