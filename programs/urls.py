from django.contrib.auth import views as auth_views
from django.urls import path

from creekside import webapp
from programs import views
from programs.forms import EmailAuthenticationForm
from programs.views import calendar, reminders
from programs.views.exports import record_export
from programs.views.outcomes import outcome_request_detail

app_name = "programs"
urlpatterns = [
    path("", views.today, name="today"),
    path("checkin/", views.checkin_save, name="checkin_save"),
    path("sessions/start/", views.session_start, name="session_start"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path(
        "sessions/<int:pk>/steps/<int:step_pk>/complete/",
        views.step_complete,
        name="step_complete",
    ),
    path("sessions/<int:pk>/steps/<int:step_pk>/skip/", views.step_skip, name="step_skip"),
    path("sessions/<int:pk>/steps/<int:step_pk>/stop/", views.step_stop, name="step_stop"),
    path("sessions/<int:pk>/stop-today/", views.session_stop_today, name="session_stop_today"),
    path("sessions/<int:pk>/finish/", views.session_finish, name="session_finish"),
    path("history/", views.history, name="history"),
    path("history/export/<str:fmt>/", record_export, name="record_export"),
    path("outcomes/<int:pk>/", outcome_request_detail, name="outcome_request_detail"),
    path("program/", views.program_detail, name="program_detail"),
    # Between visits: reminders and the calendar feed (programs/views/reminders.py, calendar.py).
    path("settings/reminders/", reminders.reminder_settings, name="reminder_settings"),
    path(
        "reminders/unsubscribe/<str:token>/",
        reminders.reminders_unsubscribe,
        name="reminders_unsubscribe",
    ),
    path("settings/calendar/renew/", calendar.calendar_renew, name="calendar_renew"),
    path("calendar/add/", calendar.calendar_add, name="calendar_add"),
    path("calendar/download/", calendar.calendar_download, name="calendar_download"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]

# Mounted at /accounts/ without a namespace: LOGIN_URL = "login".
account_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
            extra_context={"hide_signin": True},
        ),
        name="login",
    ),
    path("logout/", webapp.sign_out, name="logout"),  # with Clear-Site-Data
    path("link/", views.signin_link_request, name="signin_link_request"),
    path("link/sent/", views.signin_link_sent, name="signin_link_sent"),
    path("link/confirm/", views.accounts.signin_link_confirm, name="signin_link_confirm"),
    path("link/<str:token>/", views.signin_link_redeem, name="signin_link_redeem"),
    path("password/", views.password_set, name="password_set"),
    path("links/new/<int:patient_pk>/", views.signin_link_new, name="signin_link_new"),
]
