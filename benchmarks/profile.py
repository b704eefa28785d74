"""Where each endpoint's time goes, in-process: pyinstrument, a line sampler, a template timer.

    .venv/bin/python benchmarks/profile.py [--requests 60] [--only today,history]

Uses the load benchmark's dataset (`creekside_bench`, built if missing) and the same
production settings, and sends each request through the whole middleware stack with Django's
test client (CSRF enforced, the same signed-in sessions). For each endpoint it prints:
- queries per request;
- causes: the innermost application line (file:line, the call site) on the request's stack,
  sampled every millisecond: library and template time lands on the app line that asked for
  it (a view's render() call, a query, the audit write);
- app functions by inclusive time and library functions by self time (pyinstrument, 0.5 ms
  samples; each endpoint's whole call tree is saved as text under --out);
- template lines whose nodes take the most time themselves (a timer around every node).
Shares are within one endpoint; the run is noisy on a shared machine, the ranking is not.
"""

import argparse
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import harness

APP_DIRS = ("creekside/", "programs/", "exercises/")


def endpoints():
    from benchmarks import dataset

    year, ten, therapist, device, loggers = dataset.people()
    session = dataset.today_session(year)
    steps = iter(dataset.pending_steps(2000, loggers[:20]))
    sids = {}

    def post():
        session_pk, step_pk, owner = next(steps)
        if owner not in sids:
            sids[owner] = harness.signed_in_session(loggers[owner].user)
        return (
            "POST",
            f"/sessions/{session_pk}/steps/{step_pk}/complete/",
            {"reps_done": "8", "seconds_done": "10"},
            {"HX-Request": "true"},
            sids[owner],
        )

    patient_sid = harness.signed_in_session(year.user)
    staff_sid = harness.signed_in_session(therapist, device)
    program = ten.current_program()

    def get(path, sid, headers=None):
        return lambda: ("GET", path, None, headers or {}, sid)

    return {
        "floor (bare view)": get("/bench/bare/", patient_sid),
        "log a set (POST)": post,
        "today": get("/", patient_sid),
        "session step (full page)": get(f"/sessions/{session.pk}/", patient_sid),
        "session step (htmx partial)": get(
            f"/sessions/{session.pk}/", patient_sid, {"HX-Request": "true"}
        ),
        "history (a year of logs)": get("/history/", patient_sid),
        "program": get("/program/", patient_sid),
        "admin patient page": get(f"/admin/programs/patient/{year.pk}/change/", staff_sid),
        "admin program page (10 rx)": get(
            f"/admin/programs/program/{program.pk}/change/", staff_sid
        ),
    }


def make_sender():
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client(enforce_csrf_checks=True, SERVER_NAME="127.0.0.1")
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret

    def send(spec):
        method, path, data, headers, sid = spec()
        client.cookies["sessionid"] = sid
        if method == "POST":
            headers = {**headers, "X-CSRFToken": secret}
            response = client.post(path, data, headers=headers)
        else:
            response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{method} {path} answered {response.status_code}")
        return response

    return send


def query_count(send, spec):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        send(spec)
    return len(queries)


class LineSampler:
    """Every millisecond, the innermost application line on the request thread's stack: the
    call site (file:line) that the time below it, in Django or a library, is spent for."""

    OUTSIDE = "(no app frame: middleware, Django, the test client)"

    def __init__(self, interval=0.001):
        self.interval, self.counts, self.thread = interval, defaultdict(int), None
        self.stop = threading.Event()
        self.root = str(harness.ROOT) + "/"

    def __enter__(self):
        target = threading.get_ident()

        def sample():
            while not self.stop.wait(self.interval):
                frame = sys._current_frames().get(target)
                self.counts[self._owner(frame)] += 1

        # A CPU-bound request thread hands over the GIL only every switch interval: make it
        # short, or the samples would crowd onto the database waits (which release it).
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(self.interval / 5)
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def _owner(self, frame):
        lazy = False  # under a TemplateResponse rendered after the view returned
        while frame is not None:
            path = frame.f_code.co_filename
            if path.startswith(self.root) and path[len(self.root) :].startswith(APP_DIRS):
                rel = path[len(self.root) :]
                where = f"{rel}:{frame.f_lineno} {frame.f_code.co_name}"
                return where + (" > TemplateResponse.render()" if lazy else "")
            lazy |= path.endswith("django/template/response.py")
            frame = frame.f_back
        return self.OUTSIDE

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        sys.setswitchinterval(self.switch)

    def top(self, limit):
        total = sum(self.counts.values()) or 1
        ranked = sorted(self.counts.items(), key=lambda kv: -kv[1])[:limit]
        return [(k, v / total) for k, v in ranked]


def library_self(session, limit):
    """Functions outside the app by self time (where the CPU actually is)."""
    spent = defaultdict(float)

    def walk(frame):
        real = [c for c in frame.children if not c.is_synthetic]
        if not frame.is_synthetic:
            path = frame.file_path_short or frame.file_path or "?"
            own = frame.time - sum(child.time for child in real)
            spent[f"{path}:{frame.line_no} {frame.function}"] += own
        for child in real:
            walk(child)

    top = session.root_frame()
    walk(top)
    ranked = sorted(spent.items(), key=lambda kv: -kv[1])[:limit]
    return [(k, v / top.time) for k, v in ranked]


def inclusive(session, limit):
    """Application functions by inclusive time (each counted once per stack)."""
    root = str(harness.ROOT)
    spent = defaultdict(float)

    def walk(frame, seen):
        path = frame.file_path or ""
        rel = path[len(root) + 1 :] if path.startswith(root) else ""
        key = None
        if rel.startswith(APP_DIRS):
            key = f"{rel}:{frame.line_no} {frame.function}"
            if key not in seen:
                spent[key] += frame.time
        for child in frame.children:
            walk(child, seen | {key} if key else seen)

    top = session.root_frame()
    walk(top, frozenset())
    return [(k, v / top.time) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])[:limit]]


class NodeTimer:
    """Self time per template line: a timer around Node.render_annotated, minus children."""

    def __init__(self):
        from django.template import base

        self.base = base
        self.original = base.Node.render_annotated
        self.self_time = defaultdict(float)
        self.stack = []

    def __enter__(self):
        timer = self

        def render_annotated(node, context):
            began = time.perf_counter()
            timer.stack.append(0.0)
            try:
                return timer.original(node, context)
            finally:
                spent = time.perf_counter() - began
                children = timer.stack.pop()
                origin = getattr(node, "origin", None)
                name = getattr(origin, "template_name", None) or "?"
                line = getattr(getattr(node, "token", None), "lineno", "?")
                text = getattr(getattr(node, "token", None), "contents", "")[:50]
                timer.self_time[f"{name}:{line} {{% {text} %}}"] += spent - children
                if timer.stack:
                    timer.stack[-1] += spent

        self.base.Node.render_annotated = render_annotated
        return self

    def __exit__(self, *exc):
        self.base.Node.render_annotated = self.original

    def top(self, total, limit):
        ranked = sorted(self.self_time.items(), key=lambda kv: -kv[1])[:limit]
        return [(k, v / total) for k, v in ranked]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="creekside_bench")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--only", help="comma-separated parts of endpoint names")
    parser.add_argument("--out", default="/tmp/creekside-profile", help="call trees go here")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    from benchmarks import load

    work = harness.scratch_dir("profile")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = harness.production_env(args.db, work / "static")
    load.ensure_dataset(argparse.Namespace(db=args.db, patients=1000, months=3, rebuild=False), env)
    harness.collectstatic()
    send = make_sender()
    specs = endpoints()
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        specs = {k: v for k, v in specs.items() if any(w in k for w in wanted)}
    for name, spec in specs.items():
        for _ in range(5):
            send(spec)
        queries = query_count(send, spec)
        profiler = Profiler(interval=0.0005)
        began = time.perf_counter()
        profiler.start()
        for _ in range(args.requests):
            send(spec)
        profiler.stop()
        wall = time.perf_counter() - began
        session = profiler.last_session
        slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        (out / f"{slug}.txt").write_text(profiler.output_text(unicode=True, color=False))
        with LineSampler() as lines:
            for _ in range(args.requests):
                send(spec)
        with NodeTimer() as timer:
            began = time.perf_counter()
            for _ in range(max(10, args.requests // 3)):
                send(spec)
            template_wall = time.perf_counter() - began
        print(f"\n## {name}: {wall / args.requests * 1000:.1f} ms a request, {queries} queries")
        print("causes: the innermost app line (call site) on the stack, share of samples")
        for key, share in lines.top(args.top):
            print(f"  {share:6.1%}  {key}")
        print("app functions, inclusive (pyinstrument):")
        for key, share in inclusive(session, args.top):
            print(f"  {share:6.1%}  {key}")
        print("library functions, self time (pyinstrument):")
        for key, share in library_self(session, args.top):
            print(f"  {share:6.1%}  {key}")
        print("template lines, self time (with the timer's overhead):")
        for key, share in timer.top(template_wall, args.top):
            print(f"  {share:6.1%}  {key}")
    print(f"\npyinstrument call trees: {out}/")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
