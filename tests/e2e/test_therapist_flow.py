"""A therapist, in a real browser: from Needs attention to an applied change of dose."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs import services
from programs.models import Prescription
from tests.conftest import make_exercise, make_patient, make_program, prescribe
from tests.e2e.helpers import SCREENSHOTS, axe

pytestmark = pytest.mark.e2e
DESK = {"width": 1280, "height": 900}


def stopped_patient(therapist):
    """A patient who pressed Stop: this hurts yesterday, after a week of easy sessions."""
    patient = make_patient(therapist, "Marco Stop", "marco@example.test")
    today = timezone.localdate()
    program = make_program(patient, start_date=today - datetime.timedelta(days=8), weeks=6)
    curl = make_exercise(slug="curl", name="Standing hamstring curl")
    prescribe(program, curl, sets=2, reps="10", frequency="daily", frequency_count=1)
    for n in range(8, 0, -1):
        day = today - datetime.timedelta(days=n)
        session = services.start_session(program.planned_sessions(day, day)[0])
        first = session.set_logs.order_by("position").first()
        if n == 1:
            services.stop_exercise(session, first, 6)
        else:
            for step in session.set_logs.all():
                services.complete_step(session, step.pk, reps_done=10)
        services.finish_session(session, pain_during=5 if n == 1 else 1, effort=4)
    return patient


def save(page, name):
    if os.environ.get("SAVE_SCREENSHOTS"):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_from_the_attention_list_to_an_applied_change(live_server, browser, therapist):
    # Browser tests flush the database, the migration's groups with it: a superuser stands in.
    therapist.set_password("therapist-pass-1")
    therapist.is_superuser = True
    therapist.save()
    patient = stopped_patient(therapist)
    page = browser.new_page(viewport=DESK)
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(therapist.username)
    page.locator("#id_password").fill("therapist-pass-1")
    page.get_by_role("button", name="Log in").click()

    attention = page.locator("#needs-attention")
    expect(attention).to_contain_text("Marco Stop")
    expect(attention).to_contain_text("Stopped Standing hamstring curl (set 1) with pain 6/10")
    assert axe.run(page).violations_count == 0
    save(page, "admin-attention")
    attention.get_by_role("link", name="Review Marco Stop").click()

    expect(page.locator("#hub-signals")).to_contain_text("Stop: this hurts")
    expect(page.locator("#hub-plan")).to_contain_text("Regress")
    save(page, "admin-patient-hub")
    page.get_by_role("link", name="Review and apply").click()
    expect(page.get_by_label("Reps:")).to_have_value("8")
    page.get_by_label("Reps:").fill("7")
    page.get_by_role("button", name="Apply from week 3").click()

    expect(page.locator(".messagelist")).to_contain_text("Standing hamstring curl: from week 3")
    rows = Prescription.objects.filter(program__patient=patient).order_by("week_from")
    assert list(rows.values_list("week_from", "week_to", "reps")) == [(1, 2, "10"), (3, None, "7")]

    review = page.locator("#hub-signals form").first
    review.get_by_label("Note (optional)").fill("Called: sore for an hour, settled.")
    review.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator("#hub-signals")).to_contain_text("No open signals.")
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#needs-attention")).to_contain_text("None of your patients")
    page.close()
