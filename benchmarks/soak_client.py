"""Simulated patients for the soak: each signs in (a session cookie), opens Today, starts a
session, logs every set through htmx, finishes, and reads the summary (now and then History).

Every answer is checked; anything unexpected is an error. Each logged set that came back 200
is an acknowledged set post; a repeated press (a double tap, now and then) must change nothing.
"""

import http.client
import re
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from benchmarks import harness

STEP = re.compile(r'hx-post="(/sessions/\d+/steps/(\d+)/complete/)"')


class Tally:
    """What every simulated patient saw, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = set()  # step pks whose first "Done" POST answered 200
        self.repeats = 0
        self.sessions = 0
        self.requests = Counter()
        self.errors = []
        self.upstreams = Counter()

    def error(self, what):
        with self.lock:
            self.errors.append(what)


class Patient:
    """One patient's browser: a keep-alive connection, cookies and the page's CSRF token."""

    def __init__(self, port, sid, tally, think):
        self.port, self.sid, self.tally, self.think = port, sid, tally, think
        self.csrf_cookie = self.token = None
        self.conn = None
        self.served_by = []

    def send(self, method, path, form=None, htmx=False, port=None):
        port = port or self.port
        headers = {"Cookie": self._cookie(), "Accept-Encoding": "gzip"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.token
            headers["Origin"] = f"http://127.0.0.1:{port}"
        if htmx:
            headers["HX-Request"] = "true"
        if port != self.port:  # a pinned upstream: its own connection
            response = harness.request(method, f"http://127.0.0.1:{port}{path}", headers, body)
        else:
            response = self._keep_alive(method, path, headers, body)
        upstream = response.header("x-upstream")
        self.served_by.append(upstream)
        with self.tally.lock:
            self.tally.requests[method] += 1
            self.tally.upstreams[upstream] += 1
        cookies = response.cookies()
        if cookies.get("csrftoken"):
            self.csrf_cookie = cookies["csrftoken"]
        if self.think:
            time.sleep(self.think)
        return response

    def _keep_alive(self, method, path, headers, body):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                return harness.request(
                    method, f"http://127.0.0.1:{self.port}{path}", headers, body, conn=self.conn
                )
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None  # nginx closed an idle keep-alive: reconnect once (no retry
                if attempt == 2 or method != "GET":  # of a POST: it may have been stored)
                    raise
        raise AssertionError("unreachable")

    def _cookie(self):
        jar = f"sessionid={self.sid}"
        return jar + (f"; csrftoken={self.csrf_cookie}" if self.csrf_cookie else "")

    def expect(self, response, status, what):
        if response.status != status:
            raise Failure(f"{what}: {response.status} (expected {status})")
        return response

    def one_session(self, slot, ports=None, double_tap_every=25):
        """Today, start, every set, finish, the summary. ports: alternate pinned upstreams."""
        pick = _cycle(ports or [None])
        today = self.expect(self.send("GET", "/", port=next(pick)), 200, "Today")
        token = harness.CSRF_IN_PAGE.search(today.text)
        if not token:
            raise Failure("Today: no CSRF token")
        self.token = token.group(1)
        started = self.send("POST", "/sessions/start/", {"slot": slot}, port=next(pick))
        self.expect(started, 302, f"start slot {slot}")
        path = started.header("location")
        page = self.expect(self.send("GET", path, port=next(pick)), 200, "session page")
        found, logged = STEP.search(page.text), 0
        while found:
            url, step = found.group(1), int(found.group(2))
            answer = self.expect(
                self.send("POST", url, {"reps_done": 8, "seconds_done": 10}, True, next(pick)),
                200,
                "log a set",
            )
            with self.tally.lock:
                if step in self.tally.acked:
                    raise Failure(f"step {step} offered again after it was logged")
                self.tally.acked.add(step)
                tap_again = len(self.tally.acked) % double_tap_every == 0
            logged += 1
            if tap_again:  # the same press again (a double tap): must store nothing
                again = self.send("POST", url, {"reps_done": 9}, True, next(pick))
                self.expect(again, 200, "repeated press")
                with self.tally.lock:
                    self.tally.repeats += 1
            found = STEP.search(answer.text)
        if not logged:
            raise Failure(f"{path}: no step to log")
        finish = self.send(
            "POST", path + "finish/", {"pain_during": 2, "effort": 5}, True, next(pick)
        )
        self.expect(finish, 200, "finish")
        if finish.header("hx-redirect") != path:
            raise Failure(f"finish: HX-Redirect {finish.header('hx-redirect')!r}")
        summary = self.expect(self.send("GET", path, port=next(pick)), 200, "summary")
        if STEP.search(summary.text):
            raise Failure("summary still offers a step")
        with self.tally.lock:
            self.tally.sessions += 1
        return logged

    def close(self):
        if self.conn is not None:
            self.conn.close()


class Failure(Exception):
    pass


def _cycle(ports):
    while True:
        yield from ports


def run_patients(port, work, tally, deadline, think, history_every=5):
    """A thread's loop: take the next (sid, slots) from work, do each slot's session."""
    done = 0
    while time.monotonic() < deadline:
        try:
            sid, slots = work.pop()
        except IndexError:
            tally.error("ran out of patients with sessions left today")
            return
        patient = Patient(port, sid, tally, think)
        try:
            for slot in slots:
                if time.monotonic() >= deadline:
                    break
                try:
                    patient.one_session(slot)
                    done += 1
                    if done % history_every == 0:
                        patient.expect(patient.send("GET", "/history/"), 200, "history")
                except (Failure, OSError, http.client.HTTPException) as error:
                    tally.error(f"{type(error).__name__}: {error}")
                    patient.close()
                    patient.conn = None
        finally:
            patient.close()
