"""The program page in the admin, in a real browser at 1280x900: compact rows and the picker."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from programs.services import copy_template
from tests.conftest import make_patient
from tests.e2e.helpers import SCREENSHOTS, axe, csp_errors, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}

# Boxes of one row that overlap each other (label, input, help), as [row, field, field] triples.
OVERLAPS = """() => {
  const clash = [];
  for (const row of document.querySelectorAll('#prescriptions-group .inline-related')) {
    if (row.id.endsWith('-empty')) continue;
    const boxes = [...row.querySelectorAll('.rx-line > *')]
      .filter(e => e.offsetParent !== null)
      .map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1
          && rb.top < ra.bottom - 1) clash.push([row.id, a, b]);
    }
  }
  return clash;
}"""


def sign_in_admin(page, base_url, therapist):
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill(therapist.username)
    page.locator("#id_password").fill("therapist-pass-1")
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def starter_plan(protocols, therapist):
    """The shipped starter template, started today for a new patient (shipped library)."""
    # Browser tests flush the database, the migration's groups with it: a superuser stands in.
    therapist.set_password("therapist-pass-1")
    therapist.is_superuser = True
    therapist.save()
    patient = make_patient(therapist, "Sam Starter", "sam@example.test")
    starter = Program.objects.get(slug="tight-hamstrings-starter")
    return copy_template(starter, patient, timezone.localdate())


def test_rows_are_compact_and_the_picker_fills_the_dose(live_server, browser, starter_plan):
    page = browser.new_page(viewport=DESK)
    console = watch_console(page)
    sign_in_admin(page, live_server.url, starter_plan.patient.therapist)
    page.goto(f"{live_server.url}/admin/programs/program/{starter_plan.pk}/change/")

    rows = page.locator("#prescriptions-group .inline-related.has_original")
    expect(rows).to_have_count(4)
    expect(rows.first.locator("h3")).to_contain_text("Standing hamstring curl")
    expect(rows.nth(1).locator("h3")).to_contain_text("weeks 1-2")
    assert page.evaluate(OVERLAPS) == []
    # Saved rows get their choices from the page's one list, and keep their value.
    side = rows.first.get_by_role("combobox", name="Side", exact=True)
    expect(side.locator("option")).to_have_count(4)
    expect(side).to_have_value("each")
    # The rarely used fields are folded away, and open with one click.
    more = rows.first.locator("details.rx-more")
    expect(more.get_by_label("Rest seconds", exact=True)).to_be_hidden()
    more.locator("summary").click()
    expect(more.get_by_label("Rest seconds", exact=True)).to_be_visible()
    assert page.evaluate(OVERLAPS) == []
    if os.environ.get("SAVE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky sidebar at the top of the shot
        page.screenshot(path=SCREENSHOTS / "admin-program.png", full_page=True)
    assert axe.run(page).violations_count == 0

    # A new row: the picker searches kinds too, shows kind and picture, and fills the dose.
    page.get_by_role("button", name="Add another Prescription").click()
    new = page.locator("#prescriptions-group .dynamic-prescriptions").last
    new.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("glide")
    choice = page.locator(".select2-results__option", has_text="Lying sciatic floss")
    expect(choice).to_contain_text("Nerve glide · Lying · one leg")
    expect(choice.locator("img")).to_have_count(1)
    choice.click()
    expect(new.get_by_label("Sets:", exact=True)).to_have_value("1")
    expect(new.get_by_label("Reps:", exact=True)).to_have_value("10")
    expect(new.get_by_role("combobox", name="Side:", exact=True)).to_have_value("each")
    assert page.evaluate(OVERLAPS) == []
    assert csp_errors(console) == []
    page.close()
