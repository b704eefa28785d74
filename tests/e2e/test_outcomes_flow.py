"""A patient fills in the LEFS their therapist asked for, on a 360 px phone."""

import pytest
from playwright.sync_api import expect

from programs.models import OutcomeMeasure, OutcomeRequest
from tests.conftest import make_exercise, make_patient, make_program, prescribe
from tests.e2e.helpers import PASSWORD, check_page, csp_errors, sign_in, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_patient_fills_in_the_lefs_from_today(live_server, page, therapist):
    patient = make_patient(therapist, password=PASSWORD)
    prescribe(make_program(patient), make_exercise())
    asked = OutcomeRequest.objects.create(patient=patient, kind="lefs", requested_by=therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Your therapist asked you to fill in a short form"))
    page.get_by_role("link", name="Everyday activities").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("A short form from your therapist")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    check_page(page, "outcome-lefs")
    groups = page.get_by_role("main").get_by_role("group")  # not the header's Menu
    expect(groups).to_have_count(20)
    for number in range(1, 20):  # leave the last one out first
        page.locator(f"#id_item_{number}_3").check()
    page.get_by_role("button", name="Send to my therapist").click()
    # The browser itself asks for the missing answer before anything is sent.
    assert page.locator("#id_item_20_3").evaluate("el => el.validity.valueMissing")
    assert not OutcomeMeasure.objects.exists()
    page.locator("#id_item_20_3").check()
    page.get_by_role("button", name="Send to my therapist").click()

    expect(page.get_by_text("Thank you for filling this in.")).to_be_visible()
    expect(page.get_by_text("fill in a short form")).to_have_count(0)
    measure = OutcomeMeasure.objects.get()
    assert (measure.score, measure.request.pk) == (60, asked.pk)
    assert csp_errors(console) == []
