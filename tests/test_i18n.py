"""Every patient-facing page and email in English and Spanish: nothing left untranslated.

Each page is rendered twice from the same data, once for alice in English and once in Spanish
(signed-out pages: once per browser language). Any chunk of visible text, or any user-visible
attribute, that is the same in both and has letters in it is a string nobody translated, unless
it is on the explicit allowlist below (the brand, people's and the clinic's names, units) or is
the therapist's own content (the plan's title and notes). The test exercise has its Spanish
text, as every shipped exercise does, so its content is checked like the rest.
"""

import datetime
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from pprint import pformat

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied, server_error

from programs import notices, reminders, services
from programs.models import OutcomeRequest, ReminderSettings, SetLog
from programs.models.people import time_zone_names
from programs.templatetags.js_words import catalog
from tests.conftest import LONDON, MONDAY, make_program, prescribe, start

pytestmark = pytest.mark.django_db

# Words that are the same in every language.
ALLOWED = {
    "Creekside",
    "Creekside HEP",
    "Creekside Physical Therapy",
    "English",
    "Español",
    "LEFS",
    "PSFS",
    "kg",
    "lb",
    "s",
}
VISIBLE_ATTRIBUTES = {"alt", "aria-label", "title", "placeholder", "data-label"}
URL_OR_EMAIL = re.compile(r"^\S*(://|@|/)\S*$")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")
NUMBERED = re.compile(r"^\d+\. ")


class Visible(HTMLParser):
    """Text a person can see or hear: text nodes, button values and labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for name in VISIBLE_ATTRIBUTES & attrs.keys():
            self.chunks.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.chunks.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)


def chunks(content):
    """The visible chunks of an HTML page, or the lines of a plain-text email."""
    if "<" not in content:
        return {line.strip() for line in content.splitlines() if line.strip()}
    parser = Visible()
    parser.feed(content)
    return {" ".join(chunk.split()) for chunk in parser.chunks if chunk.strip()}


def has_words(chunk):
    """Whether chunk has a word to translate (placeholders and allowed words aside)."""
    words = re.findall(r"[^\W\d_]+", PLACEHOLDER.sub("", chunk))
    return any(word not in ALLOWED for word in words)


def leftovers(english, spanish, own=()):
    """Chunks with letters that read the same in both languages, less what may."""
    exempt = ALLOWED | set(own)
    same = chunks(english) & chunks(spanish)
    return sorted(
        c
        for c in same
        if has_words(c)
        # "1. Nordic curl" on the printed plan, "Nordic curl · Creekside" as a page's title
        and NUMBERED.sub("", c).removesuffix(" · Creekside") not in exempt
        and not URL_OR_EMAIL.match(c)
    )


# The pages, as alice sees them ---------------------------------------------------------------


def in_spanish(exercise):
    """Give the test exercise its Spanish text, as the shipped fixtures give every exercise."""
    exercise.name_es = "Flexión de rodilla de pie"
    exercise.summary_es = "Dobla la rodilla para subir el talón."
    exercise.instructions_es = (
        "Ponte de pie y agárrate a una silla.\nDobla una rodilla.\nBaja despacio."
    )
    exercise.cues_es = "Mantén los muslos a la misma altura."
    exercise.mistakes_es = "Inclinarte hacia delante."
    exercise.stop_if_es = "Dolor fuerte y punzante."
    exercise.equipment_es = "Una silla"
    exercise.save()
    return exercise


@pytest.fixture
def world(patient, program, exercise, therapist, clock):
    """Alice's plan with a finished session, one under way, a check-in and two forms to fill."""
    in_spanish(exercise)
    prescribe(
        program,
        exercise,
        order=2,
        side="each",
        sets=2,
        reps="",
        hold_seconds=20,
        tempo="3-1-1-0",
        load_kind="kg",
        load_amount=Decimal("2.5"),
        rest_seconds=60,
        notes="",
        frequency="weekdays",
        weekdays="0,3",
    )
    done = start(program, MONDAY)
    services.finish_session(done, pain_during=6, effort=5, note="")
    clock.set(MONDAY + datetime.timedelta(days=3), hour=10)
    current = start(program, MONDAY + datetime.timedelta(days=3))
    first = current.set_logs.order_by("position").first()
    services.complete_step(current, first.pk, reps_done=9, seconds_done=None, load_used="")
    OutcomeRequest.objects.create(patient=patient, kind="lefs", requested_by=therapist)
    OutcomeRequest.objects.create(
        patient=patient, kind="psfs", requested_by=therapist, activities=[]
    )
    ReminderSettings.objects.create(patient=patient, enabled=True, changed=clock.now)
    return {"done": done, "current": current}


def pages(client, world):
    """Every page of the signed-in patient, in the language client's patient has."""
    current, done = world["current"], world["current"].set_logs.order_by("position")
    step = done.filter(status=SetLog.Status.PENDING).first()
    lefs, psfs = OutcomeRequest.objects.order_by("kind")
    urls = [
        "/",
        f"/sessions/{current.pk}/",
        f"/sessions/{current.pk}/steps/{step.pk}/stop/",
        f"/sessions/{world['done'].pk}/",
        "/history/",
        "/program/",
        lefs.get_absolute_url(),
        psfs.get_absolute_url(),
        "/settings/reminders/",
        "/accounts/password/",
        "/library/",
        step.exercise.get_absolute_url(),
        "/sessions/999999/",  # a 404, in the language the earlier pages left in the cookie
    ]
    found = {url: client.get(url).content.decode() for url in urls}
    response = client.get(f"/sessions/{current.pk}/", headers={"HX-Request": "true"})
    found["step card (htmx)"] = response.content.decode()
    invalid = client.post(lefs.get_absolute_url(), {})
    found["LEFS, unanswered"] = invalid.content.decode()
    request = RequestFactory().get("/")
    request.user = world["current"].program.patient.user
    with translation.override(client.cookies[settings.LANGUAGE_COOKIE_NAME].value):
        found["403"] = permission_denied(request, Exception()).content.decode()
    return found


def test_every_patient_page_is_translated(alice, patient, world, exercise):
    english = pages(alice, world)
    patient.language = "es"
    patient.save()
    spanish = pages(alice, world)
    own = {patient.name, patient.email, "Tight hamstrings", patient.therapist.username}
    own |= time_zone_names()  # the time zone list: IANA names
    problems = {
        url: left for url in english if (left := leftovers(english[url], spanish[url], own))
    }
    assert not problems, pformat(problems)
    assert '<html lang="es">' in spanish["/"] and '<html lang="en-gb">' in english["/"]


def test_the_error_page_speaks_spanish_before_any_page_set_the_cookie(alice, patient, world):
    patient.language = "es"
    patient.save()
    with translation.override("es"):
        expected = translation.gettext("We can't find that page")
    assert expected in alice.get(f"/sessions/{world['done'].pk}/steps/999/stop/").content.decode()


# Signed out: the browser's language ---------------------------------------------------------


def signed_out_pages(language, patient, link_token):
    client = Client(headers={"accept-language": language})
    unsubscribe = reminders.unsubscribe_path(patient)
    found = {
        url: client.get(url).content.decode()
        for url in [
            "/accounts/login/",
            "/accounts/link/",
            "/accounts/link/sent/",
            "/accounts/link/not-a-real-token/",
            "/no-such-page/",
        ]
    }
    found["unsubscribe"] = client.get(unsubscribe).content.decode()
    found["unsubscribed"] = client.post(unsubscribe).content.decode()
    found["wrong password"] = client.post(
        "/accounts/login/", {"username": patient.email, "password": "wrong"}
    ).content.decode()
    client.get(f"/accounts/link/{link_token}/")
    found["confirm"] = client.get("/accounts/link/confirm/").content.decode()
    return found


def test_signed_out_pages_follow_the_browser(patient, clock):
    from programs.models import SigninLink

    _, token = SigninLink.issue(patient)
    english = signed_out_pages("en-US,en;q=0.8", patient, token)
    spanish = signed_out_pages("es-MX,es;q=0.9", patient, token)
    problems = {url: left for url in english if (left := leftovers(english[url], spanish[url]))}
    assert not problems, pformat(problems)
    assert '<html lang="es">' in spanish["/accounts/login/"]


# Emails ------------------------------------------------------------------------------------


def emails(patient, program, clock, language):
    """The reminder (text and HTML), the missed-day note and the sign-in link, as sent."""
    patient.language = language
    patient.save()
    mail.outbox.clear()
    ReminderSettings.objects.update_or_create(
        patient=patient,
        defaults={
            "enabled": True,
            "time_of_day": datetime.time(18),
            "session_days_only": False,
            "missed_yesterday": True,
            "changed": clock.now,
        },
    )
    day = MONDAY + datetime.timedelta(days=7 if language == "en" else 14)
    clock.set(datetime.datetime.combine(day, datetime.time(18), tzinfo=LONDON))
    reminders.send_due(clock.now)
    Client().post("/accounts/link/", {"email": patient.email})
    notices.link_issued(patient)
    notices.password_changed(patient)
    found = {}
    for n, message in enumerate(mail.outbox):
        found[f"{n} subject"] = message.subject
        found[f"{n} text"] = message.body
        for html, _ in getattr(message, "alternatives", []):
            found[f"{n} html"] = html
    return found


def test_every_email_is_translated(patient, program, clock):
    program.weeks = 6
    program.save()
    english = emails(patient, program, clock, "en")
    spanish = emails(patient, program, clock, "es")
    assert len(english) == len(spanish) >= 9
    own = {patient.name, "Creekside Physical Therapy · +1 555 0100"}
    problems = {
        key: left for key in english if (left := leftovers(english[key], spanish.get(key, ""), own))
    }
    assert not problems, pformat(problems)


# The scripts' words -----------------------------------------------------------------------


JS = Path(settings.BASE_DIR) / "static" / "js"
THERAPIST_SCRIPTS = {"admin-prescriptions.js"}
JS_STRING = r'"(?:[^"\\]|\\.)*"'
JS_CALL = re.compile(rf"\b(?:t|tr|tn)\(\s*({JS_STRING})")
JS_CONSTANT = re.compile(rf"const [A-Z_]+ =\s*((?:{JS_STRING}\s*\+?\s*)+);")


def script_words():
    """Words the patient scripts pass to t(), tn() and sw.js's tr(), and their prose constants."""
    found = {}
    for path in sorted(JS.glob("*.js")):
        if path.name in THERAPIST_SCRIPTS:
            continue
        source = path.read_text()
        for match in JS_CALL.finditer(source):
            found[json.loads(match[1])] = path.name
        for match in JS_CONSTANT.finditer(source):
            text = "".join(json.loads(part) for part in re.findall(JS_STRING, match[1]))
            if " " in text and not text.startswith("<"):  # prose, not a key or a tag
                found[text] = path.name
    return found


def test_the_scripts_and_their_catalog_agree():
    words, listed = script_words(), set(catalog())
    assert len(words) > 40
    assert {text: where for text, where in words.items() if text not in listed} == {}
    assert sorted(listed - set(words)) == []


def test_every_script_word_has_its_spanish():
    with translation.override("en-gb"):
        english = catalog()
    with translation.override("es"):
        spanish = catalog()
    assert [key for key in english if spanish[key] == english[key] and has_words(key)] == []


def test_two_sessions_a_day_are_translated(alice, patient, exercise, clock):
    program = make_program(patient)
    prescribe(program, in_spanish(exercise), frequency="daily", frequency_count=2)
    english = alice.get("/").content.decode()
    patient.language = "es"
    patient.save()
    spanish = alice.get("/").content.decode()
    assert leftovers(english, spanish, {patient.name, "Tight hamstrings"}) == []


def test_the_no_plan_page_is_translated(client, other_patient, clock):
    client.force_login(other_patient.user)
    english = client.get("/").content.decode()
    other_patient.language = "es"
    other_patient.save()
    spanish = client.get("/").content.decode()
    assert "Tu plan ya viene" in spanish
    assert leftovers(english, spanish, {other_patient.name}) == []


def test_the_server_error_page_is_translated():
    """Django renders 500.html with no request context: it must still speak the language."""
    request = RequestFactory().get("/")
    pages = {}
    for language in ("en-gb", "es"):
        with translation.override(language):
            pages[language] = server_error(request).content.decode()
    assert 'lang="es"' in pages["es"] and "Algo salió mal" in pages["es"]
    assert leftovers(pages["en-gb"], pages["es"]) == []
