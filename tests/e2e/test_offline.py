"""The installable app, and a session done with the network off (issue 17).

Each scenario counts the phone's actions: queued (kept in IndexedDB while offline), sent (by
the phone once back online) and stored (rows in the database); see OFFLINE_COUNTS.
"""

import contextlib
import datetime
import re
import time

import pytest
from django.utils.dateparse import parse_datetime
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from programs import services
from programs.models import ExerciseSession, SetLog
from tests.e2e.helpers import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    check_page,
    csp_errors,
    demo,
    shipped_demo,
    sign_in,
    sign_in_as,
    start_session,
    watch_console,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = "Saved on this phone; it will be sent when you are back online."
SENT = "Sent: everything you did is saved."
READY = "() => document.documentElement.dataset.offlineReady === '1'"
SESSION_READY = "() => document.documentElement.dataset.offlineSession === 'ready'"
ACTIONS = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("creekside-offline"); r.onsuccess = () => ok(r.result); r.onerror = no;
  });
  if (!db.objectStoreNames.contains("actions")) return [];
  return new Promise((ok) => {
    const r = db.transaction("actions").objectStore("actions").getAll();
    r.onsuccess = () => { db.close(); ok(r.result); };
  });
}"""
KEPT = """async () => {
  const kept = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      kept[new URL(request.url).pathname] = (await (await cache.match(request)).blob()).size;
    }
  }
  return kept;
}"""


def online_session(page, live_server, therapist, past_sessions=0):
    """Sign in, start today's session online, and wait until the phone could go on offline."""
    demo(therapist, past_sessions)
    sign_in(page, live_server.url)
    page.wait_for_function(READY)
    start_session(page)
    page.wait_for_function(READY)
    page.wait_for_function(SESSION_READY)
    return page.locator("#session-progress"), page.locator("#offline-status")


def do_every_step(page, progress, first=1):
    for number in range(first, 5):
        expect(progress).to_contain_text(f"Step {number} of 4")
        page.locator("#done-button").click()
    finish(page)


def finish(page):
    expect(page.locator("#session-progress")).to_contain_text("All 4 steps done")
    page.locator('label[for="id_pain_during_2"]').click()
    page.locator('label[for="id_effort_4"]').click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Session finished: well done")


def wait_for_queue(page, done, timeout=10):
    """Poll the phone's record until done(actions) holds."""
    deadline = time.monotonic() + timeout
    while not done(queue := page.evaluate(ACTIONS)):
        assert time.monotonic() < deadline, queue
        page.wait_for_timeout(100)
    return queue


def stored_once_in_order(queue):
    """Every queued action is in the database once, with its id and the phone's time."""
    sets = {a["id"]: a for a in queue if a["kind"] in ("done", "skip", "stop")}
    logs = list(SetLog.objects.exclude(client_id=None).order_by("position"))
    assert {str(s.client_id) for s in logs} == set(sets)
    for log in logs:
        phone_time = parse_datetime(sets[str(log.client_id)]["loggedAt"])
        assert abs(log.logged_at - phone_time) < datetime.timedelta(milliseconds=1)
    times = [log.logged_at for log in logs]
    assert times == sorted(times)  # the order they were done in
    return len(logs)


def test_the_app_can_be_installed(live_server, page, therapist):
    demo(therapist)
    console = watch_console(page)
    sign_in(page, live_server.url)
    page.wait_for_function(READY)
    manifest = page.request.get(live_server.url + "/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["display"] == "standalone"
    worker = page.request.get(live_server.url + "/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are off the record; a real profile is not.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    assert csp_errors(console) == []


def test_a_whole_session_offline_is_sent_once_when_back_online(live_server, page, therapist):
    console = watch_console(page)
    progress, status = online_session(page, live_server, therapist)
    page.context.set_offline(True)
    page.locator("#done-button").click()
    expect(status).to_have_text(SAVED)
    do_every_step(page, progress, first=2)
    page.reload()  # offline: the service worker's copy, and the phone's record
    expect(page.get_by_role("heading", level=2)).to_have_text("Session finished: well done")
    expect(page.locator("#offline-status")).to_have_text(SAVED)
    queue = page.evaluate(ACTIONS)
    assert [a["state"] for a in queue] == ["queued"] * 5  # 4 sets and the finish
    assert SetLog.objects.exclude(status="pending").count() == 0

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_have_text(SENT)
    expect(page.get_by_role("link", name="See how it went")).to_be_visible()
    assert [a["outcome"] for a in page.evaluate(ACTIONS)] == ["applied"] * 5
    assert stored_once_in_order(queue) == 4
    session = ExerciseSession.objects.get()
    assert (session.pain_during, session.effort, str(session.client_id)) == (2, 4, queue[4]["id"])
    page.goto(live_server.url + "/history/")
    expect(page.locator("main")).to_contain_text("4 of 4")
    assert csp_errors(console) == []


def test_skip_stop_and_stop_for_today_offline(live_server, page, therapist):
    progress, status = online_session(page, live_server, therapist)
    page.context.set_offline(True)
    page.locator("summary", has_text="Skip this set").click()
    page.get_by_label("No time").check()
    page.get_by_role("button", name="Skip this set").click()
    expect(progress).to_contain_text("Step 2 of 4")
    page.get_by_role("link", name="Stop: this hurts").click()
    page.get_by_text("Go back: I'm all right").click()  # changed her mind
    expect(page.locator("#done-button")).to_be_visible()
    page.get_by_role("link", name="Stop: this hurts").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Stop: Slider hamstring curl")
    page.locator('label[for="id_pain_6"]').click()
    page.get_by_role("button", name="Stop this exercise").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("We stopped Slider hamstring curl")
    expect(page.locator("#carry-on")).to_have_text("Carry on with Seated slump slider")
    page.get_by_role("button", name="Stop for today").click()
    expect(page.locator("#step-card")).to_contain_text("We stopped for today.")
    finish(page)
    queue = page.evaluate(ACTIONS)
    assert [a["kind"] for a in queue] == ["skip", "stop", "stop-today", "finish"]

    page.context.set_offline(False)
    expect(status).to_have_text(SENT)
    logs = list(SetLog.objects.order_by("position"))
    assert [(s.status, s.skip_reason, s.pain) for s in logs] == [
        ("skipped", "No time", None),
        ("stopped", "", 6),
        ("skipped", services.STOPPED_FOR_TODAY, None),
        ("skipped", services.STOPPED_FOR_TODAY, None),
    ]
    assert logs[2].logged_at == parse_datetime(queue[2]["loggedAt"])
    assert stored_once_in_order(queue) == 2  # the skip and the stop carry the phone's ids


def test_two_tabs_offline_share_one_record(live_server, page, therapist):
    online_session(page, live_server, therapist)
    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_function(SESSION_READY)
    page.context.set_offline(True)
    tabs = [page, other, page, other]
    for number, tab in enumerate(tabs, start=1):
        expect(tab.locator("#session-progress")).to_contain_text(f"Step {number} of 4")
        tab.locator("#done-button").click()
    finish(other)
    expect(page.get_by_role("heading", level=2)).to_have_text("Session finished: well done")
    page.reload()
    other.reload()
    queue = page.evaluate(ACTIONS)
    assert [a["kind"] for a in queue] == ["done"] * 4 + ["finish"]

    page.context.set_offline(False)  # both tabs send: the server stores each id once
    for tab in (page, other):
        expect(tab.locator("#offline-status")).to_have_text(SENT)
    # One tab at a time (Web Locks): each was sent once; a second send would answer "duplicate".
    assert [a["outcome"] for a in page.evaluate(ACTIONS)] == ["applied"] * 5
    assert stored_once_in_order(queue) == 4
    assert ExerciseSession.objects.filter(finished__isnull=False).count() == 1


def test_a_replayed_queue_stores_nothing_twice(live_server, page, therapist):
    progress, status = online_session(page, live_server, therapist)
    page.context.set_offline(True)
    do_every_step(page, progress)
    queue = page.evaluate(ACTIONS)
    page.context.set_offline(False)
    expect(status).to_have_text(SENT)
    stored = {s.pk: s.logged_at for s in SetLog.objects.all()}

    # As if the answers were lost: the whole queue is sent again, from a reloaded page.
    page.evaluate("""async () => {
      const r = indexedDB.open("creekside-offline");
      const db = await new Promise((ok) => { r.onsuccess = () => ok(r.result); });
      const store = db.transaction("actions", "readwrite").objectStore("actions");
      const rows = await new Promise((ok) => { const g = store.getAll(); g.onsuccess = () => ok(g.result); });
      for (const row of rows) store.put({ ...row, state: "queued", outcome: null });
      db.close();
    }""")
    page.reload()  # the summary now: app.js sends the queue from any page
    wait_for_queue(page, lambda queue: all(a["state"] == "sent" for a in queue))
    assert [a["outcome"] for a in page.evaluate(ACTIONS)] == ["duplicate"] * 5
    assert {s.pk: s.logged_at for s in SetLog.objects.all()} == stored
    assert stored_once_in_order(queue) == 4


def test_a_set_saved_from_another_device_wins_and_the_phone_is_told(live_server, page, therapist):
    progress, status = online_session(page, live_server, therapist)
    page.context.set_offline(True)
    page.locator("#done-button").click()
    expect(progress).to_contain_text("Step 2 of 4")
    session = ExerciseSession.objects.get()
    first = session.set_logs.get(position=1)
    services.complete_step(session, first.pk, reps_done=1)  # the tablet, online meanwhile

    page.context.set_offline(False)
    expect(status).to_contain_text("already saved from another device")
    first.refresh_from_db()
    assert (first.reps_done, first.client_id) == (1, None)
    assert page.evaluate(ACTIONS)[0]["outcome"] == "conflict"
    expect(progress).to_contain_text("Step 2 of 4")  # the server's card


def test_today_and_my_plan_open_offline_with_a_banner(live_server, page, therapist):
    console = watch_console(page)
    online_session(page, live_server, therapist, past_sessions=2)
    page.goto(live_server.url + "/program/")
    page.goto(live_server.url + "/")
    banner = page.locator("#offline-banner")
    expect(banner).to_be_hidden()
    page.context.set_offline(True)
    for path, heading, name in [("/", "Today", "today"), ("/program/", "Tight hamstrings", "plan")]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(banner).to_be_visible()
        expect(banner).to_have_text(re.compile(r"^Offline: showing what was saved at \d\d:\d\d\.$"))
        check_page(page, f"offline-{name}")
    page.goto(live_server.url + "/history/")  # not kept: said plainly
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")
    page.context.set_offline(False)
    page.goto(live_server.url + "/")
    expect(banner).to_be_hidden()
    assert csp_errors(console) == []


def test_signing_out_leaves_nothing_on_the_phone(live_server, page, therapist):
    _, status = online_session(page, live_server, therapist)
    page.context.set_offline(True)
    page.locator("#done-button").click()
    page.context.set_offline(False)
    expect(status).to_have_text(SENT)
    assert "/" in page.evaluate(KEPT) and page.evaluate(ACTIONS)
    page.get_by_text("Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    # Cleared; the sign-in page may keep the public shell (styles, scripts) again, no more.
    assert [path for path in page.evaluate(KEPT) if not path.startswith("/static/")] == []
    assert page.evaluate(ACTIONS) == []
    page.context.set_offline(True)  # nothing of alice's opens offline, even her Today
    with contextlib.suppress(PlaywrightError):  # no service worker left: the browser's page
        page.goto(live_server.url + "/")
    page.wait_for_load_state()
    assert "Tight hamstrings" not in page.locator("body").inner_text()


def test_the_demo_plan_is_kept_whole_and_small(live_server, page, protocols, clock):
    """seed_demo's plan: its pages, static files and every picture, in well under 1 MB."""
    sam = shipped_demo()
    sign_in_as(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.wait_for_function(READY)
    start_session(page)
    page.wait_for_function(READY)
    kept = page.evaluate(KEPT)
    pictures = {
        rx.exercise.image.url for rx in sam.programs.get().prescriptions.select_related("exercise")
    }
    assert pictures and pictures <= set(kept)
    assert {"/", "/program/", page.url.removeprefix(live_server.url)} <= set(kept)
    total = sum(kept.values())
    print(f"\nkept offline for the demo plan: {len(kept)} files, {total / 1024:.0f} KiB")
    assert total < 1024 * 1024
