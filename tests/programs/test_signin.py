import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from pytest_django.asserts import assertContains, assertRedirects

from programs.models import SigninLink

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


def test_login_page_offers_a_link_by_email(client):
    response = client.get("/accounts/login/")
    assertContains(response, 'type="email"')
    assertContains(response, "Email me a sign-in link")


def test_password_sign_in_by_email(client, patient):
    response = client.post(
        "/accounts/login/", {"username": " Alice@Example.test ", "password": "alice-pass-123"}
    )
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert signed_in(client)


def test_wrong_password_is_refused_kindly(client, patient):
    response = client.post(
        "/accounts/login/", {"username": "alice@example.test", "password": "nope"}
    )
    assertContains(response, "don&#x27;t match")
    assert not signed_in(client)


def test_logout_is_post_only(client, patient):
    client.force_login(patient.user)
    assert client.get("/accounts/logout/").status_code == 405
    assertRedirects(client.post("/accounts/logout/"), "/accounts/login/")
    assert not signed_in(client)


def test_link_get_shows_a_confirm_page_without_using_it(client, cara):
    link, token = SigninLink.issue(cara)
    response = client.get(f"/accounts/link/{token}/", follow=True)
    assert response.redirect_chain == [("/accounts/link/confirm/", 302)]  # token out of the URL
    assertContains(response, "Sign me in")
    link.refresh_from_db()
    assert link.used_at is None and not signed_in(client)


def test_link_post_signs_in_and_offers_a_password(client, cara):
    _, token = SigninLink.issue(cara)
    response = client.post(f"/accounts/link/{token}/")
    assertRedirects(response, "/accounts/password/")
    assert signed_in(client)
    cara.refresh_from_db()
    assert cara.user.username == "cara@example.test"
    page = client.get("/accounts/password/")
    assertContains(page, "Skip for now")


def test_set_password_then_sign_in_with_it(client, cara):
    _, token = SigninLink.issue(cara)
    client.post(f"/accounts/link/{token}/")
    data = {"new_password1": "calm-river-stone-42", "new_password2": "calm-river-stone-42"}
    assertRedirects(client.post("/accounts/password/", data), "/", fetch_redirect_response=False)
    client.logout()
    client.post(
        "/accounts/login/", {"username": "cara@example.test", "password": data["new_password1"]}
    )
    assert signed_in(client)


def test_a_used_link_is_refused_with_a_clear_page(client, cara):
    _, token = SigninLink.issue(cara)
    client.post(f"/accounts/link/{token}/")
    client.logout()
    for method in (client.get, client.post):
        response = method(f"/accounts/link/{token}/")
        assert response.status_code == 410
        assertContains(response, "This link was already used", status_code=410)
        assertContains(response, "Email me a new link", status_code=410)
    assert not signed_in(client)


def test_an_expired_link_is_refused_with_a_clear_page(client, cara, clock):
    _, token = SigninLink.issue(cara)
    clock.advance(days=8)
    response = client.post(f"/accounts/link/{token}/")
    assertContains(response, "This link has expired", status_code=410)
    assert not signed_in(client)
    cara.refresh_from_db()
    assert cara.user is None


def test_an_unknown_link_is_refused(client):
    assert client.get("/accounts/link/made-up/").status_code == 410


def test_email_me_a_link_sends_mail_only_for_known_emails(client, cara):
    known = client.post("/accounts/link/", {"email": "CARA@example.test"})
    unknown = client.post("/accounts/link/", {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/link/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cara@example.test"]
    token = message.body.split("/accounts/link/")[1].split("/")[0]
    client.post(f"/accounts/link/{token}/")
    assert signed_in(client)


def test_emailed_links_are_limited_to_three_an_hour(client, cara, clock):
    for _ in range(5):
        response = client.post("/accounts/link/", {"email": "cara@example.test"})
        assert response["Location"] == "/accounts/link/sent/"  # the same answer every time
    assert len(mail.outbox) == 3
    clock.advance(hours=1, minutes=1)
    client.post("/accounts/link/", {"email": "cara@example.test"})
    assert len(mail.outbox) == 4


def test_link_sent_page_is_neutral(client):
    assertContains(client.get("/accounts/link/sent/"), "If that email address is on our list")


def test_email_me_a_link_validates(client):
    assertContains(client.post("/accounts/link/", {"email": "not an email"}), "valid email")


@pytest.fixture
def clinic_staff(therapist):
    therapist.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_signinlink", "view_patient"])
    )
    return get_user_model().objects.get(pk=therapist.pk)


def test_staff_card_issues_a_link_with_a_qr_code(client, clinic_staff, cara):
    client.force_login(clinic_staff)
    response = client.post(f"/accounts/links/new/{cara.pk}/")
    assertContains(response, "Cara New")
    assertContains(response, "<svg")
    assertContains(response, "http://testserver/accounts/link/")
    assertContains(response, "css/print.css")
    link = SigninLink.objects.get()
    assert link.created_by == clinic_staff and link.patient == cara
    assert "style=" not in response.content.decode().split("<main")[1]


def test_staff_card_needs_the_permission_and_post(client, therapist, patient, cara):
    client.force_login(therapist)
    assert client.post(f"/accounts/links/new/{cara.pk}/").status_code == 403
    client.force_login(patient.user)
    assert client.post(f"/accounts/links/new/{cara.pk}/").status_code == 302  # to admin login
    assert not SigninLink.objects.exists()


def test_staff_card_rejects_get(client, clinic_staff, cara):
    client.force_login(clinic_staff)
    assert client.get(f"/accounts/links/new/{cara.pk}/").status_code == 405


def test_changing_a_password_needs_the_old_one(client, patient):
    client.force_login(patient.user)
    page = client.get("/accounts/password/")
    assertContains(page, "Change your password")
    assertContains(page, 'name="old_password"')
    new = {"new_password1": "calm-river-stone-42", "new_password2": "calm-river-stone-42"}
    response = client.post("/accounts/password/", new)
    assertContains(response, "This field is required")
    patient.user.refresh_from_db()
    assert patient.user.check_password("alice-pass-123")
    response = client.post("/accounts/password/", {**new, "old_password": "alice-pass-123"})
    assertRedirects(response, "/", fetch_redirect_response=False)
    patient.user.refresh_from_db()
    assert patient.user.check_password("calm-river-stone-42")
    assert signed_in(client)


def test_after_a_link_a_new_password_needs_no_old_one_once(client, patient):
    _, token = SigninLink.issue(patient)
    client.post(f"/accounts/link/{token}/")
    page = client.get("/accounts/password/")
    assertContains(page, "You're signed in")
    assert 'name="old_password"' not in page.content.decode()
    new = {"new_password1": "calm-river-stone-42", "new_password2": "calm-river-stone-42"}
    assertRedirects(client.post("/accounts/password/", new), "/", fetch_redirect_response=False)
    patient.user.refresh_from_db()
    assert patient.user.check_password("calm-river-stone-42")
    again = {"new_password1": "other-river-stone-7", "new_password2": "other-river-stone-7"}
    assertContains(client.post("/accounts/password/", again), 'name="old_password"')
    patient.user.refresh_from_db()
    assert patient.user.check_password("calm-river-stone-42")


def test_the_link_allows_a_new_password_only_soon_after(client, patient, clock):
    _, token = SigninLink.issue(patient)
    client.post(f"/accounts/link/{token}/")
    clock.advance(hours=1)
    assertContains(client.get("/accounts/password/"), 'name="old_password"')


def test_staff_change_their_password_in_the_admin(client, therapist):
    client.force_login(therapist)
    response = client.get("/accounts/password/")
    assertRedirects(response, "/admin/password_change/", fetch_redirect_response=False)


def test_a_link_for_a_clashing_account_says_call_the_clinic(client, theo_too):
    _, token = SigninLink.issue(theo_too)
    assertContains(client.get(f"/accounts/link/{token}/", follow=True), "Sign me in")
    response = client.post(f"/accounts/link/{token}/")
    message = "We couldn't sign you in with this link. Please call the clinic."
    assertContains(response, message, status_code=403)
    assert "expired" not in response.content.decode()
    assert not signed_in(client)


def test_a_link_for_an_inactive_account_says_call_the_clinic(client, patient):
    get_user_model().objects.filter(pk=patient.user.pk).update(is_active=False)
    _, token = SigninLink.issue(patient)
    response = client.post(f"/accounts/link/{token}/")
    assertContains(response, "Please call the clinic.", status_code=403)
    assert not signed_in(client)


def test_sign_in_pages_are_never_cached(client, clinic_staff, cara):
    _, token = SigninLink.issue(cara)
    assert "no-store" in client.get(f"/accounts/link/{token}/")["Cache-Control"]
    assert "no-store" in client.post(f"/accounts/link/{token}/")["Cache-Control"]
    assert "no-store" in client.get("/accounts/password/")["Cache-Control"]
    client.force_login(clinic_staff)
    assert "no-store" in client.post(f"/accounts/links/new/{cara.pk}/")["Cache-Control"]


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("alice@example.test", "too like your email address"),
        ("password123", "too common"),
        ("83920174652", "Use some letters too"),
    ],
)
def test_password_errors_speak_a_patients_words(client, patient, password, words):
    _, token = SigninLink.issue(patient)
    client.post(f"/accounts/link/{token}/")
    response = client.post(
        "/accounts/password/", {"new_password1": password, "new_password2": password}
    )
    assertContains(response, words)
    page = response.content.decode().lower()
    assert "username" not in page and "verification" not in page


def test_password_change_errors_speak_a_patients_words(client, patient):
    client.force_login(patient.user)
    page = client.get("/accounts/password/").content.decode().lower()
    assert "username" not in page and "verification" not in page
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "a-b-c-d-e-f", "new_password2": "a-b-c-d-e-g"},
    )
    assertContains(response, "That is not the password you use now")
    assertContains(response, "The two passwords are not the same")


def test_scanning_a_used_card_again_while_signed_in_goes_to_today(client, cara):
    _, token = SigninLink.issue(cara)
    client.post(f"/accounts/link/{token}/")
    assert signed_in(client)
    assertRedirects(client.get(f"/accounts/link/{token}/"), "/", fetch_redirect_response=False)
    client.logout()
    assert client.get(f"/accounts/link/{token}/").status_code == 410


def test_someone_elses_used_link_is_still_refused(client, cara, patient):
    _, token = SigninLink.issue(cara)
    client.post(f"/accounts/link/{token}/")
    client.force_login(patient.user)
    assert client.get(f"/accounts/link/{token}/").status_code == 410


def test_the_card_offers_the_sign_in_page_and_the_clinic(client, clinic_staff, cara):
    client.force_login(clinic_staff)
    card = client.post(f"/accounts/links/new/{cara.pk}/").content.decode()
    article = card.split('<article class="signin-card"')[1]
    assert "type the link" not in article and "/accounts/link/" not in article
    assert (
        "testserver/accounts/login/</strong> and choose <strong>Email me a sign-in link" in article
    )
    assert "Creekside Physical Therapy" in article and 'href="tel:+15550100"' in article
