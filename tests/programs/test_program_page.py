import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs.models import Program
from tests.conftest import make_exercise, prescribe

pytestmark = pytest.mark.django_db


def test_it_shows_every_week_range(alice, program, exercise):
    program.prescriptions.update(week_to=2, notes="Go gently at first.")
    prescribe(program, exercise, week_from=3, sets=4, reps="8-10", tempo="4-0-1-0")
    response = alice.get("/program/")
    assertContains(response, "My plan: Tight hamstrings")
    assertContains(response, "Weeks 1 to 2")
    assertContains(response, "Weeks 3 to 6")
    assertContains(response, "3 sets of 10 reps")
    assertContains(response, "4 sets of 8 to 10 reps. Lower slowly for 4 seconds.")
    assertNotContains(response, "lower over 4 s")  # the therapist's shorthand stays in the admin
    assertContains(response, "Go gently at first.")
    assertContains(response, "How often: 3 times a week")
    assertContains(response, "Strength (shortening)")
    assertContains(response, "Stop if the pain goes above 5 out of 10")
    assertContains(response, "css/print.css")


def test_it_is_kind_without_a_program(alice, patient):
    Program.objects.filter(patient=patient).delete()
    assertContains(alice.get("/program/"), "Your plan is on its way")


def test_it_sends_anonymous_to_sign_in_and_staff_to_admin(client, therapist):
    assertRedirects(client.get("/program/"), "/accounts/login/?next=/program/")
    client.force_login(therapist)
    assert client.get("/program/")["Location"] == "/admin/"


@pytest.mark.parametrize("size", [1, 8])
def test_query_count_is_flat(alice, program, django_assert_num_queries, size):
    for n in range(size - 1):
        ex = make_exercise(slug=f"e{n}", name=f"E{n}")
        prescribe(program, ex, order=n + 1, week_from=1 + n % 3)
    with django_assert_num_queries(9):  # 7, the audit entry, the therapist named on the printout
        assert alice.get("/program/").status_code == 200


def test_a_plan_that_starts_later_says_when(alice, program, clock):
    clock.set(datetime.date(2026, 10, 28))
    response = alice.get("/program/")
    assertContains(response, "Starts on Monday 2 November 2026")
    assertContains(response, "3 sets of 10 reps")


def test_it_prints_as_a_handout(alice, program, exercise, therapist):
    therapist.first_name, therapist.last_name = "Theo", "Hart"
    therapist.save()
    prescribe(program, exercise, week_from=3, sets=4, reps="8-10", tempo="4-0-1-0")
    program.prescriptions.filter(week_from=1).update(week_to=2)
    response = alice.get("/program/")
    handout = response.content.decode().split('class="print-only handout"')[1]
    assert "Home exercise plan for <strong>Alice Patient</strong>" in response.content.decode()
    assertContains(response, "Your therapist: <strong>Theo Hart</strong>")
    assertContains(response, "Printed 2 November 2026")
    assertContains(response, "Creekside Physical Therapy</strong> · Phone +1 555 0100")
    assert handout.count('class="handout-item"') == 1  # each exercise once, its doses by week
    assert "<strong>Weeks 1 to 2:</strong> 3 sets of 10 reps." in handout
    assert "<strong>Weeks 3 to 6:</strong> 4 sets of 8 to 10 reps." in handout
    assert "<li>Stand tall holding a chair.</li>" in handout
    assert "<li>The pain goes above 5 out of 10.</li><li>Sharp pain.</li>" in handout
