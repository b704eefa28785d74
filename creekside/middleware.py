from django.conf import settings
from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = ("/accounts/", "/admin/")


class PrivatePagesMiddleware:
    """Keep pages with patient data out of every cache, and switch off unused browser features.

    A signed-in user's pages (patients' and staff's), sign-in pages and the admin get
    ``Cache-Control: no-store, private``: a shared computer's back button or disk cache, or
    a proxy, must not keep a health record. Public pages (the library) stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_PREFIXES) or (user and user.is_authenticated):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
