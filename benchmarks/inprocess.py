"""Each endpoint's share of the floor in-process, one request at a time: what a change buys.

    .venv/bin/python benchmarks/inprocess.py [--only today,session] [--requests 16]
    BENCH_STOCK_FORMS=1 BENCH_NO_CACHE=1 .venv/bin/python benchmarks/inprocess.py   # without

Uses the load benchmark's dataset and settings (benchmarks/profile.py's requests: the whole
middleware stack, CSRF enforced). For each endpoint it alternates a floor request and an
endpoint request and compares the lower quartile of each one's CPU time in this process
(time.process_time: other processes on a shared machine count less than in wall time;
PostgreSQL's own work is not counted at all, so this is the Python side of a page).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import harness


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="creekside_bench")
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--only", help="comma-separated parts of endpoint names")
    args = parser.parse_args(argv)
    from benchmarks import load, profile

    env = harness.production_env(args.db, harness.scratch_dir("inprocess") / "static")
    load.ensure_dataset(argparse.Namespace(db=args.db, patients=1000, months=3, rebuild=False), env)
    harness.collectstatic()
    send = profile.make_sender()
    specs = profile.endpoints()
    floor = specs.pop("floor (bare view)")
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None

    def cpu(spec):
        began = time.process_time()
        send(spec)
        return time.process_time() - began

    for name, spec in specs.items():
        if wanted and not any(w in name for w in wanted):
            continue
        for _ in range(3):
            send(spec)
        floors, pages = [], []
        for _ in range(args.requests):
            floors.append(cpu(floor))
            pages.append(cpu(spec))
        f, p = (sorted(x)[len(x) // 4] for x in (floors, pages))
        print(f"{name:30s} floor {f * 1000:6.2f} ms  page {p * 1000:7.2f} ms  share {f / p:.2f}")


if __name__ == "__main__":
    main()
