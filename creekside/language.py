"""Which language a page speaks: the patient's own, the browser's when signed out, English for staff.

Signed out, Django's LocaleMiddleware follows the language cookie, then the browser's
Accept-Language. A patient page switches to Patient.language where the view has the patient in
hand already (programs/views/access.py), so it costs no query, and leaves the cookie behind: the
pages that don't load the patient (the library, an error page, the sign-in page after signing
out) then speak the patient's language too. The admin is the therapists' and stays English.
"""

from django.conf import settings
from django.middleware import locale
from django.utils import translation

ADMIN_PREFIX = "/admin/"
CHOSEN = "_patient_language"  # on the request: the language the patient's page switched to
BEFORE = "_language_before"  # on the request: the thread's language before this request


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware (no URL prefixes), with the admin always in English."""

    def process_request(self, request):
        setattr(request, BEFORE, translation.get_language())
        if request.path.startswith(ADMIN_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        chosen = getattr(request, CHOSEN, None)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            remember(response, chosen)
        # The response is rendered by now: give the thread back its language, so a patient's
        # Spanish never leaks into what this thread does next (a task, a test's assertions).
        translation.activate(getattr(request, BEFORE, None) or settings.LANGUAGE_CODE)
        return response


def supported(code):
    """The LANGUAGES code for a Patient.language value: 'en' -> 'en-gb', 'es' -> 'es'."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def use_patient_language(request, patient):
    """Speak this patient's language for the rest of the request (and remember it)."""
    use_language(request, supported(patient.language))


def use_language(request, code):
    """Speak `code` (a LANGUAGES code) for the rest of the request, and remember it."""
    translation.activate(code)
    request.LANGUAGE_CODE = code
    setattr(request, CHOSEN, code)


def remember(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
