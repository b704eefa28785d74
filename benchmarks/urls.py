"""The app's URLs plus bare views: the baseline every page is measured against.

Served only under the benchmark settings (BENCHMARK_FLOOR=1, benchmarks/settings.py) or by
benchmarks/pages.py, never by creekside.urls.
"""

import os

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.urls import path

from creekside.urls import urlpatterns as app_urlpatterns


def bare(request):
    return HttpResponse("ok")


def cache_probe(request):
    """Count in the shared cache: two app servers that share it see one counter."""
    key = "bench-probe:" + request.GET.get("run", "default")[:40]
    cache.add(key, 0, timeout=600)
    return JsonResponse({"count": cache.incr(key), "pid": os.getpid()})


urlpatterns = [path("bench/bare/", bare), path("bench/cache/", cache_probe), *app_urlpatterns]
