from programs.views.accounts import (
    password_set,
    signin_link_new,
    signin_link_redeem,
    signin_link_request,
    signin_link_sent,
)
from programs.views.patient import (
    checkin_save,
    history,
    program_detail,
    session_detail,
    session_finish,
    session_start,
    step_complete,
    step_skip,
    step_stop,
    today,
)

__all__ = [
    "checkin_save",
    "history",
    "password_set",
    "program_detail",
    "session_detail",
    "session_finish",
    "session_start",
    "signin_link_new",
    "signin_link_redeem",
    "signin_link_request",
    "signin_link_sent",
    "step_complete",
    "step_skip",
    "step_stop",
    "today",
]
