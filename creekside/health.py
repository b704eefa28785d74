from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """Answer 200 when the app and its database respond, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def favicon(request):
    """Send /favicon.ico to the site icon (resolved per request: the manifest may come later)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
