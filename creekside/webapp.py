"""The installable app: its manifest, its service worker, and a sign-out that leaves nothing behind."""

from functools import cache

from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f5f7a"  # --brand in static/css/site.css
BACKGROUND_COLOUR = "#f3f6f8"  # --wash
SERVICE_WORKER = "js/sw.js"


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    """The web app manifest: Chromium offers to install the app from it."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/",
        "name": "Creekside home exercises",
        "short_name": "Creekside",
        "description": f"Your home exercises from {settings.CLINIC_NAME}.",
        "lang": "en-GB",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json")


def _read_service_worker():
    path = finders.find(SERVICE_WORKER) or staticfiles_storage.path(SERVICE_WORKER)
    with open(path, encoding="utf-8") as file:
        return file.read()


_service_worker_source = cache(_read_service_worker)


@require_GET
def service_worker(request):
    """static/js/sw.js from the site root, so that it may look after every page.

    no-cache: the browser checks for a new version on every visit.
    """
    source = _read_service_worker() if settings.DEBUG else _service_worker_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def sign_out(request, *args, **kwargs):
    """Sign out, and have the browser drop what the app kept offline (the queue, saved pages).

    static/js/signout.js clears them too, for browsers without Clear-Site-Data.
    """
    response = LogoutView.as_view()(request, *args, **kwargs)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response
