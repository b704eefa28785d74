"""What the load, soak and Lighthouse benchmarks share: a database of their own, production
settings, gunicorn on loopback, signed-in session cookies and a tiny HTTP client.

Nothing here listens anywhere but 127.0.0.1, and every process it starts it also stops.
"""

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin: gunicorn sits next to its python
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF_IN_PAGE = re.compile(r'"x-csrftoken": "([^"]+)"')


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# A database of the benchmark's own ----------------------------------------------------------


def server_url():
    """The PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL if it is PostgreSQL."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def database_url(name):
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path="/" + name))


def _admin_connection():
    import psycopg

    return psycopg.connect(database_url("postgres"), autocommit=True, connect_timeout=5)


def database_exists(name):
    with _admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def recreate_database(name):
    """Drop (closing its connections) and create the benchmark's database."""
    if not re.fullmatch(r"creekside_[a-z_]+", name):
        raise ValueError(f"refusing to drop {name!r}: benchmark databases are creekside_*")
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# Production settings, from the environment ----------------------------------------------------


def production_env(db_name, static_root, **extra):
    """The environment gunicorn and the Django set-up here run under: DEBUG off, a secret key,
    127.0.0.1 only, persistent connections, two-factor for staff as in production."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        BENCHMARK_FLOOR="1",
        BENCH_STATIC_ROOT=str(static_root),
        SECRET_KEY="benchmark-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(db_name),
        CONN_MAX_AGE="600",
        EMAIL_SMTP="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        MEDIA_ROOT=str(media_root(db_name)),
        CACHE_URL=shared_cache_url(),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def shared_cache_url():
    """The cache every app server shares, as in production (docs/operations.md): the Redis on
    these machines (BENCH_CACHE_URL to change it), or the database cache without the package."""
    try:
        import redis  # noqa: F401
    except ImportError:
        return "db://creekside_cache"
    return os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0")


def media_root(db_name):
    """Uploaded and fixture pictures of a benchmark database: outside the work tree, readable by
    nginx's workers (so not under a private home folder)."""
    return Path(os.environ.get("BENCH_MEDIA", "/var/tmp/creekside-bench")) / db_name / "media"


def fresh_media(db_name):
    path = media_root(db_name)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    for parent in (path, *path.parents[:2]):
        os.chmod(parent, 0o755)
    return path


def setup_django(env):
    """Configure this process like the servers (call once, before importing models)."""
    os.environ.update(env)
    os.environ.pop("DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def check_migrations():
    """A work tree whose models are ahead of its migrations can't be measured: say so."""
    from django.core.management import call_command

    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit:
        raise SystemExit("models have changes without migrations: run makemigrations") from None
    from django.db import connections

    connections.close_all()  # the check opened one; the database may be dropped next


def collectstatic():
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def scratch_dir(prefix):
    return Path(tempfile.mkdtemp(prefix=f"creekside-{prefix}-"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# gunicorn ---------------------------------------------------------------------------------------


class Server:
    """One gunicorn (sync workers) on 127.0.0.1, in its own process group; stop() ends it."""

    def __init__(self, env, port=None, workers=2, name="gunicorn", log_dir=None):
        self.port = port or free_port()
        self.name = name
        self.log_path = Path(log_dir or tempfile.gettempdir()) / f"{name}-{self.port}.log"
        cmd = [
            str(BIN / "gunicorn"),
            "creekside.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--timeout=60",
            "--graceful-timeout=5",
            "--log-level=warning",
            f"--error-logfile={self.log_path}",
        ]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, start_new_session=True, stdin=subprocess.DEVNULL
        )

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log_path}")
            try:
                if request("GET", self.base + "/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz in {timeout} s")

    def worker_pids(self):
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self):
        return [rss_mb(pid) for pid in self.worker_pids()]

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def cpu_seconds(pids):
    """User plus system CPU time the processes have used (Linux /proc; 0 for a gone one)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def pids_named(name):
    """Every process whose command name is `name` (e.g. the PostgreSQL backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stop_all(processes):
    for p in reversed(processes):
        try:
            p.stop()
        except Exception as error:  # keep stopping the others
            log(f"stopping {getattr(p, 'name', p)}: {error}")


# Signed-in sessions, as the sign-in views leave them ---------------------------------------------


def signed_in_session(user, device=None):
    """A database session for user (and, for staff, a verified authenticator), as after sign-in.

    The idle clock is stamped now, so a benchmark measures reads, not the first touch.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from creekside.sessions import TOUCHED

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[TOUCHED] = time.time()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if user.is_staff:
        store.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    store.create()
    return store.session_key


# A small HTTP client (loopback only) --------------------------------------------------------------


class Response:
    """status, headers (lower-case names), body (decoded) and wire (the bytes as sent)."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.wire = status, headers, body
        gzipped = headers.get("content-encoding") == "gzip"
        self.body = gzip.decompress(body) if gzipped else body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)

    def cookies(self):
        jar = {}
        for name, value in self.headers.get("_set_cookie", []):
            jar[name] = value
        return jar


def request(method, url, headers=None, body=None, timeout=30, conn=None):
    """One HTTP request to 127.0.0.1 (never follows redirects); conn may be reused."""
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"benchmarks talk to loopback only, not {parts.hostname}")
    own = conn is None
    conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(method, path, body=body, headers=headers or {})
        raw = conn.getresponse()
        data = raw.read()
        found = {}
        cookies = []
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                cookies.append(tuple(pair.split("=", 1)))
            found[name.lower()] = value
        found["_set_cookie"] = cookies
        return Response(raw.status, found, data)
    finally:
        if own:
            conn.close()


def csrf_pair(base, cookie):
    """(csrftoken cookie, masked token from the page) as a browser gets them from Today."""
    response = request("GET", base + "/", headers={"Cookie": cookie})
    if response.status != 200:
        raise RuntimeError(f"Today answered {response.status} while fetching a CSRF token")
    token = CSRF_IN_PAGE.search(response.text)
    secret = response.cookies().get("csrftoken")
    if not (token and secret):
        raise RuntimeError("no CSRF token on Today")
    return secret, token.group(1)


def which(name, *fallbacks):
    found = shutil.which(name)
    for candidate in (found, *fallbacks):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(f"{name} not found: run `bash benchmarks/setup.sh` first")
