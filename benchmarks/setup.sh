#!/usr/bin/env bash
# Installs what the load, soak and Lighthouse benchmarks need, with the ordinary clients only:
#   wrk and nginx (Debian), chromium (Debian, for Lighthouse), pyinstrument and redis (PyPI,
#   into .venv), lighthouse 12 (npm, into a cache folder outside the work tree).
# Safe to run again: each step is skipped when its tool is already there.
#   bash benchmarks/setup.sh            # everything
#   bash benchmarks/setup.sh --no-lighthouse
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
TOOLS=${BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/creekside-bench}
LIGHTHOUSE=1
[ "${1:-}" = "--no-lighthouse" ] && LIGHTHOUSE=0

need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ "$LIGHTHOUSE" = 1 ] && ! command -v chromium >/dev/null 2>&1; then need_apt+=(chromium); fi
if [ "$LIGHTHOUSE" = 1 ] && ! command -v npm >/dev/null 2>&1; then need_apt+=(nodejs npm); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The Debian nginx package may start a daemon on :80 where an init system exists; the
# benchmarks run their own nginx on a free port and never use that one.

# Python: the profiler and the Redis client (same pins as pyproject's dev and redis extras).
if ! "$PY" -c 'import pyinstrument, redis' >/dev/null 2>&1; then
  "$PY" -m pip install -q --disable-pip-version-check 'pyinstrument>=5.1,<6' 'redis>=5,<9'
fi

# Lighthouse 12 (13.x needs node >= 22.19; Debian 12 ships node 20).
if [ "$LIGHTHOUSE" = 1 ] && [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent lighthouse@12 >/dev/null)
fi
echo "wrk: $(wrk --version 2>&1 | head -1 | cut -c1-40)"
echo "nginx: $( (nginx -v || /usr/sbin/nginx -v) 2>&1 | head -1)"
[ "$LIGHTHOUSE" = 1 ] && echo "lighthouse: $("$TOOLS/node_modules/.bin/lighthouse" --version)"
"$PY" -c 'import pyinstrument, redis; print("pyinstrument", pyinstrument.__version__, "redis", redis.__version__)'
