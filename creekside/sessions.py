import time

from django.conf import settings

TOUCHED = "_touched_at"


class SlidingSessionMiddleware:
    """Slide a signed-in session's expiry on activity, writing it at most every few minutes.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row on every request, reads
    included. Touching it only after SESSION_TOUCH_SECONDS keeps the idle time-out (give or
    take those seconds) at a fraction of the writes. Staff get the shorter
    STAFF_SESSION_IDLE_SECONDS; patients keep SESSION_COOKIE_AGE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.touch(request)
        response = self.get_response(request)
        if request.session.session_key and TOUCHED not in request.session:
            self.touch(request)  # signed in by this request: start the right idle clock now
        return response

    def touch(self, request):
        session = request.session
        if not (session.session_key and request.user.is_authenticated):
            return
        now = time.time()
        if now - session.get(TOUCHED, 0) >= settings.SESSION_TOUCH_SECONDS:
            session[TOUCHED] = now  # marks the session modified: saved with a new expiry
            if request.user.is_staff:
                session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
