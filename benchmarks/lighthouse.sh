#!/usr/bin/env bash
# Lighthouse (mobile, the default simulated throttling) on Today, the session page and History,
# signed in as the year patient, under gunicorn with production settings behind nginx (gzip,
# /media/ from disk) as in docs/operations.md (benchmarks/serve.py --nginx).
#   bash benchmarks/lighthouse.sh          # needs benchmarks/setup.sh once
# Prints one line per page: performance and accessibility (and best practices, SEO) scores.
# Targets (issue 15): performance >= 95, accessibility 100. Loopback only; ~1 minute.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$PWD/.venv/bin/python}
TOOLS=${BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/creekside-bench}
LH="$TOOLS/node_modules/.bin/lighthouse"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$LH" ] || { echo "lighthouse not installed: run bash benchmarks/setup.sh" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "no chromium at $CHROME_PATH" >&2; exit 1; }

OUT=$(mktemp -d -t creekside-lighthouse-XXXXXX)
"$PY" benchmarks/serve.py --nginx --info "$OUT/serve.json" --minutes 10 >"$OUT/serve.log" 2>&1 &
SERVE=$!
cleanup() {
  kill -TERM "$SERVE" 2>/dev/null || true
  wait "$SERVE" 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT
for _ in $(seq 1 900); do
  [ -s "$OUT/serve.json" ] && break
  kill -0 "$SERVE" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.2
done
[ -s "$OUT/serve.json" ] || { echo "server did not start" >&2; exit 1; }

field() { node -e 'const i=require(process.argv[1]);const k=process.argv[2].split(".");let v=i;for(const p of k)v=v[p];console.log(v)' "$OUT/serve.json" "$1"; }
BASE=$(field base)
COOKIE=$(field cookie)
printf '{"Cookie": "%s"}' "$COOKIE" >"$OUT/headers.json"
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"

printf '%-10s %11s %13s %14s %4s\n' page performance accessibility best-practices seo
for page in today session history; do
  url="$BASE$(field "pages.$page")"
  "$LH" "$url" --quiet --form-factor=mobile --output=json --output-path="$OUT/$page.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --extra-headers="$OUT/headers.json" --chrome-flags="$FLAGS" >/dev/null 2>"$OUT/$page.err" \
    || { echo "lighthouse failed on $page:" >&2; tail -5 "$OUT/$page.err" >&2; exit 1; }
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    if (r.finalDisplayedUrl && !r.finalDisplayedUrl.startsWith(process.argv[3])) {
      console.error(process.argv[2] + ": redirected to " + r.finalDisplayedUrl); process.exit(1);
    }
    const fails = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 &&
      ["accessibility", "best-practices"].some((c) =>
        r.categories[c].auditRefs.some((ref) => ref.id === a.id && ref.weight > 0)));
    console.log(process.argv[2].padEnd(10), String(s("performance")).padStart(11),
      String(s("accessibility")).padStart(13), String(s("best-practices")).padStart(14),
      String(s("seo")).padStart(4), fails.length ? "  failing: " + fails.map((a) => a.id).join(", ") : "",
      "  LCP " + Math.round(r.audits["largest-contentful-paint"].numericValue) + " ms, TBT " +
      Math.round(r.audits["total-blocking-time"].numericValue) + " ms");
    for (const item of (r.audits["errors-in-console"].details || {}).items || [])
      console.log("    console: " + String(item.description).slice(0, 160) +
        (item.sourceLocation ? " (" + item.sourceLocation.url + ")" : ""));
  ' "$OUT/$page.json" "$page" "$url"
done
