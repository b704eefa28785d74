from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from creekside import health, webapp
from programs.urls import account_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages (like the admin's) that don't name an icon.
    path("favicon.ico", health.favicon),
    # The installable app (creekside/webapp.py): the service worker must sit at the root.
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("accounts/", include(account_urlpatterns)),
    path("library/", include("exercises.urls")),
    path("", include("programs.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
