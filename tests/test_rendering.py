"""programs.rendering.FastRenderer writes the same HTML as Django's template renderer.

Each page is fetched twice, once with each FORM_RENDERER, and the two answers compared byte
for byte (after the per-request CSRF token and CSP nonce, which differ on every request).
"""

import datetime
import re

import pytest
from django import forms
from django.core.cache import cache
from django.forms.renderers import DjangoTemplates

from programs.forms import CheckinForm, FinishForm, SkipForm, StepDoneForm, StopForm
from programs.rendering import FastRenderer
from programs.services import finish_session
from tests.conftest import HTMX, make_exercise, prescribe, start

pytestmark = pytest.mark.django_db

STOCK = "django.forms.renderers.DjangoTemplates"
FAST = "programs.rendering.FastRenderer"
VOLATILE = re.compile(
    rb'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content="|X-CSRFToken": "|x-csrftoken": ")[^"]+'
)


def both(settings, fetch):
    answers = []
    for renderer in (STOCK, FAST):
        settings.FORM_RENDERER = renderer
        cache.clear()  # the session page's cards are cached (programs/views/fragments.py)
        response = fetch()
        assert response.status_code == 200, renderer
        answers.append(VOLATILE.sub(rb"\1-", response.content))
    return answers


def assert_same(settings, fetch, expect=b"<input"):
    stock, fast = both(settings, fetch)
    assert expect in stock
    assert fast == stock


def test_the_session_step_page_and_its_partial(alice, settings, session):
    url = session.get_absolute_url()
    assert_same(settings, lambda: alice.get(url))
    assert_same(settings, lambda: alice.get(url, headers=HTMX))


def test_the_step_card_with_errors(alice, settings, session, step):
    url = f"/sessions/{session.pk}/steps/{step.pk}/"
    assert_same(settings, lambda: alice.post(url + "complete/", {"reps_done": "x"}, headers=HTMX))
    assert_same(settings, lambda: alice.post(url + "skip/", {}, headers=HTMX))
    assert_same(settings, lambda: alice.get(url + "stop/", headers=HTMX))
    assert_same(settings, lambda: alice.post(url + "stop/", {}, headers=HTMX))


def test_a_hold_with_a_load_and_the_finish_form(alice, settings, program, clock):
    program.prescriptions.update(reps="", hold_seconds=30, load_kind="band", load_text="<b>")
    session = start(program)
    assert_same(settings, lambda: alice.get(session.get_absolute_url()))
    session.set_logs.update(status="done", logged_at=clock.now, reps_done=10)
    assert_same(settings, lambda: alice.get(session.get_absolute_url(), headers=HTMX))
    finish = f"/sessions/{session.pk}/finish/"
    assert_same(settings, lambda: alice.post(finish, {"note": "x"}, headers=HTMX))


def test_the_admin_program_page(therapist_client, settings, program):
    for n in range(3):
        prescribe(program, make_exercise(slug=f"m{n}", name=f"M<{n}>"), notes="a & b", order=n)
    url = f"/admin/programs/program/{program.pk}/change/"
    assert_same(settings, lambda: therapist_client.get(url))
    bad = {"title": "", "prescriptions-TOTAL_FORMS": "0", "prescriptions-INITIAL_FORMS": "0"}
    stock, fast = both(settings, lambda: therapist_client.post(url, bad))
    assert fast == stock


def test_the_admin_patient_pages(therapist_client, settings, patient, program):
    assert_same(
        settings, lambda: therapist_client.get(f"/admin/programs/patient/{patient.pk}/change/")
    )
    assert_same(settings, lambda: therapist_client.get("/admin/programs/patient/add/"))
    assert_same(settings, lambda: therapist_client.get("/admin/programs/patient/"))


def test_today_with_a_check_in(alice, settings, session, clock):
    session.set_logs.update(status="done", logged_at=clock.now, reps_done=10)
    finish_session(session, pain_during=2, effort=3, note="")
    clock.advance(days=1)
    assert_same(settings, lambda: alice.get("/"), expect=b'type="radio"')


def test_the_sign_in_page(client, settings):
    assert_same(settings, lambda: client.get("/accounts/login/"))


class Everything(forms.Form):
    text = forms.CharField(help_text="<i>help</i>", initial='a "quote" & <tag>')
    number = forms.DecimalField(initial=1234.5, localize=True)
    flag = forms.BooleanField(required=False, initial=True)
    when = forms.DateField(initial=datetime.date(2026, 1, 2))
    choice = forms.ChoiceField(
        choices=[("Fruit", [("a", "Apple & pear"), ("b", "Banana")]), ("c", "<Cherry>")]
    )
    radios = forms.ChoiceField(choices=[(1, "One"), (2, "Two")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("Group", [(1, "One")]), (2, "Two")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "c"}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two")], initial=[2])
    notes = forms.CharField(widget=forms.Textarea, initial="line\n<two>")
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=0)
    secret = forms.CharField(widget=forms.PasswordInput, label="")


FORMS = [
    lambda **kw: Everything(**kw),
    lambda **kw: Everything(data={"text": "", "radios": "9", "number": "x"}, **kw),
    lambda **kw: Everything(auto_id=False, **kw),
    lambda **kw: SkipForm(auto_id="id_skip_%s", **kw),
    lambda **kw: SkipForm(data={"reason": "Other"}, auto_id="id_skip_%s", **kw),
    lambda **kw: StopForm(**kw),
    lambda **kw: FinishForm(data={"pain_during": "11"}, **kw),
    lambda **kw: CheckinForm(**kw),
]


@pytest.mark.parametrize("make", FORMS)
def test_every_part_of_a_form(make):
    parts = []
    for renderer in (DjangoTemplates(), FastRenderer()):
        form = make(renderer=renderer)
        html = [str(form), str(form.non_field_errors())]
        for field in form:
            html += [field.as_field_group(), str(field), field.label_tag(), str(field.errors)]
            html += [field.legend_tag()]
            if hasattr(field.field, "choices"):
                html += [str(w) for w in field] + [w.tag() for w in field]
        parts.append(html)
    assert parts[1] == parts[0]


def test_step_done_form_with_a_load(session):
    step = session.set_logs.first()
    step.target_load = "Red band <strong>"
    results = []
    for renderer in (DjangoTemplates(), FastRenderer()):
        form = StepDoneForm(data={"reps_done": "-1"}, step=step, renderer=renderer)
        results.append([field.as_field_group() for field in form])
    assert results[1] == results[0]
    assert "&lt;strong&gt;" in results[0][-1]
