from programs.views.accounts import (
    password_set,
    signin_link_new,
    signin_link_redeem,
    signin_link_request,
    signin_link_sent,
)
from programs.views.history import history, program_detail
from programs.views.session import (
    session_detail,
    session_finish,
    session_stop_today,
    step_complete,
    step_skip,
    step_stop,
)
from programs.views.today import checkin_save, session_start, today

__all__ = [
    "checkin_save",
    "history",
    "password_set",
    "program_detail",
    "session_detail",
    "session_finish",
    "session_start",
    "session_stop_today",
    "signin_link_new",
    "signin_link_redeem",
    "signin_link_request",
    "signin_link_sent",
    "step_complete",
    "step_skip",
    "step_stop",
    "today",
]
