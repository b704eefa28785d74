import pytest
from playwright.sync_api import expect

from programs.models import SetLog
from tests.e2e.helpers import csp_errors, demo, sign_in, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dropped_connection_loses_nothing(live_server, page, therapist):
    demo(therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    page.get_by_role("button", name="Start session").click()
    progress = page.locator("#session-progress")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 2 of 4")

    page.route("**/complete/", lambda route: route.abort("internetdisconnected"))
    page.locator("#done-button").click()
    alert = page.locator("#connection-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Your earlier sets are safe")
    expect(progress).to_contain_text("Step 2 of 4")
    assert SetLog.objects.filter(status="done").count() == 1

    page.unroute("**/complete/")
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 3 of 4")
    expect(alert).to_be_hidden()

    page.reload()  # a reload, or a second tab, resumes at the first step not done
    expect(progress).to_contain_text("Step 3 of 4")
    assert SetLog.objects.filter(status="done").count() == 2
    assert csp_errors(console) == []
