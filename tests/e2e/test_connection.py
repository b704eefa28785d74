import pytest
from playwright.sync_api import expect

from programs.models import SetLog
from tests.e2e.helpers import (
    EMAIL,
    PASSWORD,
    csp_errors,
    demo,
    sign_in,
    start_session,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dropped_connection_keeps_the_set_on_the_phone_and_sends_it_later(
    live_server, page, therapist
):
    demo(therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    start_session(page)
    page.wait_for_function("() => document.documentElement.dataset.offlineSession === 'ready'")
    progress = page.locator("#session-progress")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 2 of 4")

    page.route("**/complete/", lambda route: route.abort("internetdisconnected"))
    page.locator("#done-button").click()
    status = page.locator("#offline-status")
    expect(status).to_have_text("Saved on this phone; it will be sent when you are back online.")
    expect(progress).to_contain_text("Step 3 of 4")  # the patient goes on
    expect(page.locator("#connection-alert")).to_be_hidden()
    assert SetLog.objects.filter(status="done").count() == 1

    page.unroute("**/complete/")
    page.locator("#done-button").click()  # sent after the one kept on the phone, in order
    expect(status).to_have_text("Sent: everything you did is saved.")
    expect(progress).to_contain_text("Step 4 of 4")
    done = SetLog.objects.filter(status="done").order_by("logged_at")
    assert [s.position for s in done] == [1, 2, 3]

    page.reload()  # a reload, or a second tab, resumes at the first step not done
    expect(progress).to_contain_text("Step 4 of 4")
    assert csp_errors(console) == []


def test_a_server_error_is_not_blamed_on_the_connection(live_server, page, therapist):
    demo(therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    start_session(page)
    progress = page.locator("#session-progress")
    expect(progress).to_contain_text("Step 1 of 4")

    page.route("**/complete/", lambda route: route.fulfill(status=500, body="Server Error"))
    page.locator("#done-button").click()
    alert = page.locator("#connection-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Something went wrong on our side")
    expect(alert).to_contain_text("If it keeps happening, call the clinic.")
    expect(alert).not_to_contain_text("connection dropped")
    expect(progress).to_contain_text("Step 1 of 4")
    assert SetLog.objects.filter(status="done").count() == 0

    page.unroute("**/complete/")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 2 of 4")
    expect(alert).to_be_hidden()
    assert csp_errors(console) == []


def test_signed_out_mid_session_signs_in_and_carries_on(live_server, page, therapist):
    demo(therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    start_session(page)
    progress = page.locator("#session-progress")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 2 of 4")
    session_url = page.url
    session_path = session_url.removeprefix(live_server.url)

    page.context.clear_cookies(name="sessionid")  # as if the sign-in timed out
    page.locator("#done-button").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next={session_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.locator("#step-card").count() == 0  # a whole page, not a card inside one
    assert SetLog.objects.filter(status="done").count() == 1

    page.locator("#id_username").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(session_url)
    expect(progress).to_contain_text("Step 2 of 4")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 3 of 4")
    assert SetLog.objects.filter(status="done").count() == 2
    assert csp_errors(console) == []
