"""Playwright against Debian's chromium (never `playwright install`); see docs/operations.md (CI)."""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, TransactionTestCase

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = (
            f"chromium not found at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _serve_media(settings):
    """Serve uploaded pictures from live_server (DEBUG is off in tests)."""
    settings.ROOT_URLCONF = "tests.e2e.urls"


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server's threads share one in-memory SQLite connection: serve one request at once.

    The service worker (static/js/sw.js) fetches pictures and pages in the background and the
    offline queue is sent while the patient goes on, so requests overlap; two at once on one
    SQLite connection fail with "database table is locked".
    """

    lock = threading.Lock()

    def set_app(self, application):
        def serial(environ, start_response):
            with self.lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(serial)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time():
    # The flush after each test takes the same lock, so a background request still in flight
    # (the service worker, the offline queue) never holds the database while it is emptied.
    flush = TransactionTestCase._fixture_teardown

    def serial_flush(self):
        with OneRequestAtATime.lock:
            return flush(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATime)
        patch.setattr(TransactionTestCase, "_fixture_teardown", serial_flush)
        yield
