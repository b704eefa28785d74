"""Safe rendering, private-page headers, staff time-outs and staff passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from programs.models import Program
from tests.conftest import make_exercise, make_program, prescribe

pytestmark = pytest.mark.django_db

REFRESH = "<meta http-equiv=refresh content=0;url=https://evil.test>"
FAKE_LINK = '<a href="https://evil.test/login">Sign in again</a>'


def started_session(alice, patient, exercise, load_text):
    program = make_program(patient, start_date=timezone.localdate())
    prescribe(
        program,
        exercise,
        frequency="daily",
        frequency_count=1,
        load_kind="other",
        load_text=load_text,
    )
    response = alice.post("/sessions/start/", {"slot": "1"})
    assert response.status_code == 302, response
    return response["Location"]


@pytest.mark.parametrize("payload", [REFRESH, FAKE_LINK])
def test_a_therapists_load_text_is_escaped_on_every_patient_page(alice, patient, exercise, payload):
    session_url = started_session(alice, patient, exercise, payload)
    pages = [
        alice.get(session_url),
        alice.get(session_url, headers={"HX-Request": "true"}),
        alice.get("/program/"),
        alice.get("/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assertNotContains(page, payload)
        assertNotContains(page, "<meta http-equiv=refresh")
        assertNotContains(page, 'href="https://evil.test')
    # The step card's "Leave empty if you used …" hint shows the text, escaped.
    assertContains(pages[0], "Leave empty if you used &lt;")


def test_html_in_any_therapist_or_clinic_text_is_escaped_on_patient_pages(alice, patient):
    Program.objects.filter(patient=patient).delete()
    text = {f: f"{REFRESH} {f}" for f in ["summary", "instructions", "cues", "mistakes", "stop_if"]}
    exercise = make_exercise(
        slug="x", name=REFRESH, equipment=REFRESH, image_alt=REFRESH, source=REFRESH, **text
    )
    patient.name = FAKE_LINK
    patient.save()
    session_url = started_session(alice, patient, exercise, FAKE_LINK)
    Program.objects.filter(patient=patient).update(title=REFRESH, goal=FAKE_LINK)
    exercise.prescriptions.update(notes=REFRESH)
    for path in [session_url, "/", "/program/", "/history/", "/library/", "/library/x/"]:
        page = alice.get(path)
        assert page.status_code == 200, path
        assertNotContains(page, "<meta http-equiv=refresh")
        assertNotContains(page, 'href="https://evil.test')


# Cache-Control and Permissions-Policy --------------------------------------------------


def is_private(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_patient_pages_are_never_stored(alice, program):
    for path in ["/", "/program/", "/history/", "/library/", "/accounts/password/"]:
        response = alice.get(path)
        assert response.status_code == 200, path
        assert is_private(response), path


def test_sign_in_pages_are_never_stored(client):
    for path in ["/accounts/login/", "/accounts/link/", "/accounts/link/sent/"]:
        assert is_private(client.get(path)), path


def test_admin_pages_are_never_stored(admin_client, client):
    for path in ["/admin/", "/admin/programs/patient/", "/admin/auth/user/"]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert is_private(response), path
    assert is_private(client.get("/admin/login/"))


def test_public_library_pages_may_be_cached_for_visitors(client):
    assert not is_private(client.get("/library/"))


def test_every_response_limits_browser_features(client, alice):
    for response in [client.get("/library/"), client.get("/healthz"), alice.get("/")]:
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


# Staff idle time-out --------------------------------------------------------------------


def expires_in(client):
    session = Session.objects.get(session_key=client.session.session_key)
    return (session.expire_date - timezone.now()).total_seconds()


def test_staff_sessions_lapse_after_half_an_hour_idle(client, therapist, settings):
    assert settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60
    client.force_login(therapist)
    client.get("/admin/")
    assert 29 * 60 < expires_in(client) <= 30 * 60


def test_staff_signing_in_by_password_get_the_short_expiry_at_once(client, therapist):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "theo", "password": "therapist-pass-1"}
    )
    assert response.status_code == 302
    assert expires_in(client) <= 30 * 60


def test_patients_keep_their_long_idle_time_out(alice, settings):
    alice.get("/")
    assert expires_in(alice) > settings.SESSION_COOKIE_AGE - 60


def test_a_staff_session_idle_past_the_time_out_is_signed_out(client, therapist):
    client.force_login(therapist)
    client.get("/admin/")
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Staff passwords ------------------------------------------------------------------------

ELEVEN = "quiet-ferns7"[:11]


def test_staff_passwords_need_twelve_characters(therapist):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(ELEVEN, therapist)
    validate_password(ELEVEN + "x", therapist)


def test_new_accounts_made_by_staff_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(ELEVEN, get_user_model()(username="newcomer"))


def test_patients_keep_the_usual_minimum(patient):
    validate_password("pine-lake9", patient.user)  # 9 characters: fine for a patient


def test_the_admin_refuses_a_short_staff_password(admin_client, therapist):
    response = admin_client.post(
        f"/admin/auth/user/{therapist.pk}/password/",
        {"password1": ELEVEN, "password2": ELEVEN},
    )
    assertContains(response, "at least 12 characters")
    therapist.refresh_from_db()
    assert therapist.check_password("therapist-pass-1")
