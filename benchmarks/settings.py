"""Production settings for the benchmarks: creekside.settings unchanged, plus two things.

- BENCHMARK_FLOOR=1 serves benchmarks.urls: the app's URLs plus the bare views the load
  benchmark measures every page against (the "floor") and the soak's shared-cache probe.
- BENCH_STATIC_ROOT, when set, is where collectstatic writes, so a benchmark run never
  touches the work tree's staticfiles/.

Everything else (DEBUG off, SECRET_KEY, ALLOWED_HOSTS, CONN_MAX_AGE, CACHE_URL, two-factor for
staff) comes from the environment exactly as in production.
"""

import os
from pathlib import Path

from creekside.settings import *  # noqa: F403
from creekside.settings import env_bool

if env_bool("BENCHMARK_FLOOR"):
    ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

# For measuring what one speed change buys (docs/benchmarks.md), never in a real deployment:
# BENCH_STOCK_FORMS=1 renders form widgets with Django's templates, BENCH_NO_CACHE=1 turns the
# cache off (the session page renders its cards every time).
if env_bool("BENCH_STOCK_FORMS"):
    FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
if env_bool("BENCH_NO_CACHE"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
