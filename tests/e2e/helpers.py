"""Data and checks shared by the browser tests."""

import datetime
import io
import os
import shutil
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from programs import services
from programs.models import Patient
from tests.conftest import (
    ALICE_EMAIL,
    ALICE_PASSWORD,
    make_exercise,
    make_patient,
    make_program,
    prescribe,
    start,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
EMAIL, PASSWORD = ALICE_EMAIL, ALICE_PASSWORD  # the browser signs in as alice
axe = Axe()


def picture(exercise, name):
    """Give an exercise one of the shipped pictures."""
    target = Path(settings.MEDIA_ROOT) / "exercises"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "fixtures" / "exercises" / f"{name}.svg", target / f"{name}.svg")
    exercise.image = f"exercises/{name}.svg"
    exercise.image_alt = f"Drawing of the {exercise.name.lower()}"
    exercise.save()


def demo(therapist, past_sessions=0):
    """A patient with a daily program of four steps: two tempo sets, one hold each side."""
    patient = make_patient(therapist, password=PASSWORD)
    curl = make_exercise(
        slug="slider-hamstring-curl",
        name="Slider hamstring curl",
        kind="eccentric",
        position="lying",
        unilateral=False,
        cues="Keep your hips up.\nSlide out slowly.",
    )
    floss = make_exercise(
        slug="seated-slump-slider",
        name="Seated slump slider",
        kind="nerve_glide",
        position="sitting",
        default_reps="",
        default_hold_seconds=10,
    )
    picture(curl, "slider-hamstring-curl")
    picture(floss, "seated-slump-slider")
    today = timezone.localdate()
    program = make_program(patient, start_date=today - datetime.timedelta(days=7), weeks=6)
    program.goal = "Stronger, less tight hamstrings."
    program.save()
    daily = {"frequency": "daily", "frequency_count": 1}
    prescribe(program, curl, sets=2, reps="3", tempo="4-0-1-0", rest_seconds=30, **daily)
    prescribe(program, floss, sets=1, reps="", hold_seconds=10, side="each", order=1, **daily)
    for n in range(past_sessions, 0, -1):
        session = start(program, today - datetime.timedelta(days=n))
        for step in list(session.set_logs.all())[: 2 + n % 3]:
            services.complete_step(session, step.pk, reps_done=3, seconds_done=10)
        services.finish_session(session, pain_during=1 + n % 4, effort=3 + n % 3)
    return patient


def watch_console(page):
    """Collect console messages so tests can assert no CSP violation was reported."""
    messages = []
    page.on("console", lambda message: messages.append(f"{page.url}: {message.text}"))
    return messages


def csp_errors(messages):
    return [m for m in messages if "Content Security Policy" in m]


def check_page(page, name):
    """Zero axe violations; save a 360 px screenshot when SAVE_SCREENSHOTS is set."""
    result = axe.run(page)
    assert result.violations_count == 0, f"{name}: {result.generate_report()}"
    if os.environ.get("SAVE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, caret="initial")


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches selector (keyboard-only navigation)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def sign_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def start_session(page):
    """Press Start and wait until the session page has loaded (htmx is a deferred script)."""
    page.get_by_role("button", name="Start session").click()
    page.wait_for_load_state()


# The shipped library and seed_demo's patient: what a newcomer meets ---------------------------

DEMO_EMAIL, DEMO_PASSWORD = "sam@example.com", "patient-demo"


def shipped_demo(done_on=()):
    """seed_demo's patient Sam on the shipped starter plan (ask for the `protocols` fixture).

    done_on: days of the plan's first week with a session done (pain 2, effort 4), each with
    its next-morning check-in but the last, whose check-in Today then asks for.
    """
    for name in ("Therapists", "Clinic staff"):  # a flushed live_server database has none
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    patient = Patient.objects.get(email=DEMO_EMAIL)
    program = patient.programs.get()
    for n, day in enumerate(done_on):
        session = services.start_session(program.planned_sessions(day, day)[0])
        for step in session.set_logs.all():
            target = {"seconds_done": step.target_seconds} if step.is_hold else {}
            services.complete_step(session, step.pk, reps_done=step.target_reps_high, **target)
        services.finish_session(session, pain_during=2 + n % 2, effort=4, note="")
        if n < len(done_on) - 1:
            services.save_next_morning_pain(session, 1)
    return patient


def sign_in_as(page, base_url, email, password):
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def in_view(locator):
    """Whether the whole element is inside the viewport now (no scrolling)."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }"
    )


class Effort:
    """Taps and scrolls a patient needs, counted the way a thumb meets them."""

    def __init__(self, page):
        self.page, self.taps, self.scrolls = page, 0, 0

    def tap(self, locator):
        if not in_view(locator):
            self.scrolls += 1
            locator.scroll_into_view_if_needed()
        locator.click()
        self.taps += 1


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def wait_for_htmx(page):
    """htmx is a deferred script: wait until it has loaded, then until nothing is swapping."""
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    page.wait_for_function(SETTLED)


def steps_total(page):
    """The number of steps from "Step 1 of 10"."""
    return int(page.locator("#progress-label").inner_text().split(" of ")[1].split(":")[0])
