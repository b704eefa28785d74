"""Serve the benchmark clinic with production settings until stopped (Ctrl-C or SIGTERM).

    .venv/bin/python benchmarks/serve.py [--port 8011] [--info /tmp/serve.json]

gunicorn (2 sync workers; with --nginx, behind nginx as in production) on 127.0.0.1 over the load benchmark's dataset (`creekside_bench`,
built if missing), with the year patient's session for today started. Prints, and with --info
writes as JSON, the base URL, a signed-in patient cookie and the pages Lighthouse opens, so a
browser or a profiler can look at the same pages the load benchmark measures.
"""

import argparse
import json
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import harness
from benchmarks.nginx import Nginx


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="creekside_bench")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--info", help="write the base URL, cookie and pages here as JSON")
    parser.add_argument("--minutes", type=float, default=30, help="stop by itself after this")
    parser.add_argument(
        "--nginx", action="store_true", help="nginx in front, as in production: gzip, /media/"
    )
    args = parser.parse_args(argv)
    from benchmarks import load

    work = harness.scratch_dir("serve")
    env = harness.production_env(args.db, work / "static")
    load.ensure_dataset(argparse.Namespace(db=args.db, patients=1000, months=3, rebuild=False), env)
    harness.collectstatic()
    from django.db import connections

    from benchmarks import dataset

    year, *_ = dataset.people()
    session = dataset.today_session(year)
    cookie = "sessionid=" + harness.signed_in_session(year.user)
    connections.close_all()
    server = harness.Server(env, port=None if args.nginx else args.port or None, log_dir=work)
    processes = [server]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        front = server.wait_ready()
        if args.nginx:
            front = Nginx(work, [server.port], media_root=harness.media_root(args.db))
            processes.append(front)
            front.wait_ready()
        info = {
            "base": front.base,
            "cookie": cookie,
            "pages": {
                "today": "/",
                "session": f"/sessions/{session.pk}/",
                "history": "/history/",
            },
        }
        if args.info:
            Path(args.info).write_text(json.dumps(info))
        print(json.dumps(info), flush=True)
        deadline = time.monotonic() + args.minutes * 60
        while not stop and time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        harness.stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
