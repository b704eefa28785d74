"""My plan on paper: a handout with every exercise's picture, steps, dose and stop rules."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import MONDAY
from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, SCREENSHOTS, shipped_demo, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
A4 = {"width": 794, "height": 1123}  # A4 at 96 dots an inch


def test_the_plan_prints_as_a_handout_on_few_a4_pages(live_server, browser, protocols, clock):
    shipped_demo(done_on=[MONDAY])
    context = browser.new_context(viewport=A4, locale="en-GB")
    page = context.new_page()
    sign_in_as(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/program/")
    page.emulate_media(media="print")
    handout = page.locator(".handout")
    expect(handout).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".week").first).to_be_hidden()  # the screen's week-by-week list
    head = page.locator(".handout-head")
    expect(head).to_contain_text("Home exercise plan for Sam Demo")
    expect(head).to_contain_text("Your therapist: Theo")
    expect(head).to_contain_text("Creekside Physical Therapy · Phone +1 555 0100")
    expect(head).to_contain_text("Printed 2 November 2026")
    items = page.locator(".handout-item")
    expect(items).to_have_count(3)
    for n in range(3):
        item = items.nth(n)
        expect(item.locator("img")).to_be_visible()
        assert item.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
        expect(item.locator(".steps li").first).to_be_visible()
        expect(item.locator(".stops li").first).to_contain_text("The pain goes above")
        expect(item.locator(".dose").first).to_contain_text(re.compile(r"Weeks? \d"))
        color = item.locator(".dose").first.evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(0, 0, 0)", "the dose prints black, not mid-grey"
    expect(items.nth(1)).to_contain_text("Lower slowly for 4 seconds")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the handout takes {pages} A4 pages"
    if os.environ.get("SAVE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "handout.png", full_page=True)
    context.close()
