"""Outcome measures: the scores and changes, the rows' rules, and the patient's questionnaire."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from programs import outcomes
from programs.models import OutcomeMeasure, OutcomeRequest

DAY = datetime.date(2026, 11, 2)


def m(kind, day, score=None, left=None, right=None):
    return SimpleNamespace(kind=kind, date=day, score=score, left_degrees=left, right_degrees=right)


def lefs_post(answers):
    return {f"item_{n}": str(a) for n, a in enumerate(answers, start=1) if a is not None}


@pytest.fixture
def alice_client(client, patient):
    client.force_login(patient.user)
    client.get("/library/")  # the first request after signing in writes the session once
    return client


@pytest.fixture
def lefs_request(patient, therapist):
    return OutcomeRequest.objects.create(patient=patient, kind="lefs", requested_by=therapist)


# Scores and changes: pure functions ----------------------------------------------------------


def test_lefs_total_adds_twenty_answers():
    assert outcomes.lefs_total([4] * 20) == 80
    assert outcomes.lefs_total([0] * 20) == 0
    assert outcomes.lefs_total([2] * 10 + [3] * 10) == 50


@pytest.mark.parametrize(
    "answers", [[4] * 19, [4] * 21, [5] + [4] * 19, [-1] + [4] * 19, ["4"] * 20]
)
def test_lefs_total_refuses_anything_but_twenty_answers_0_to_4(answers):
    with pytest.raises(ValueError):
        outcomes.lefs_total(answers)


def test_lefs_has_the_twenty_binkley_activities_and_five_answers():
    assert len(outcomes.LEFS_ITEMS) == 20
    assert outcomes.LEFS_ITEMS[-1] == "Rolling over in bed"
    assert [v for v, _ in outcomes.LEFS_ANSWERS] == [0, 1, 2, 3, 4]
    assert outcomes.LEFS_ANSWERS[0][1] == "Extreme difficulty or unable"
    assert outcomes.LEFS_ANSWERS[-1][1] == "No difficulty"


def test_psfs_score_is_the_mean_to_one_decimal():
    assert outcomes.psfs_score([6]) == Decimal("6.0")
    assert outcomes.psfs_score([7, 7, 8]) == Decimal("7.3")
    assert outcomes.psfs_score([5, 6]) == Decimal("5.5")
    assert outcomes.psfs_score([0, 10, 10, 10, 10]) == Decimal("8.0")


@pytest.mark.parametrize("scores", [[], [5] * 6, [11], [-1], [5.5]])
def test_psfs_score_refuses_bad_ratings(scores):
    with pytest.raises(ValueError):
        outcomes.psfs_score(scores)


@pytest.mark.parametrize(
    ("kind", "first", "latest", "important", "better"),
    [
        ("lefs", 40, 49, True, True),  # exactly the minimal important change
        ("lefs", 40, 48, False, True),
        ("lefs", 40, 31, True, False),  # a 9-point decline matters too
        ("lefs", 40, 40, False, None),
        ("psfs", Decimal("4.0"), Decimal("6.0"), True, True),
        ("psfs", Decimal("4.0"), Decimal("5.9"), False, True),
        ("ake", 40, 30, False, True),  # fewer degrees short of straight is better
        ("slr", 60, 70, False, True),
    ],
)
def test_change_marks_the_minimal_important_change(kind, first, latest, important, better):
    delta = outcomes.change(kind, first, latest)
    assert delta.important is important
    assert delta.better is better


def test_table_rows_show_change_from_the_first_score_of_each_kind():
    rows = outcomes.table_rows(
        [
            m("lefs", DAY + datetime.timedelta(days=14), Decimal("52.0")),
            m("lefs", DAY, Decimal("40.0")),
            m("ake", DAY, left=40, right=35),
            m("ake", DAY + datetime.timedelta(days=14), left=32),
        ]
    )
    assert [(r.label, r.score, r.change, r.important) for r in rows] == [
        ("Active knee extension", "L 40°, R 35°", "", False),
        ("LEFS", "40/80", "", False),
        ("Active knee extension", "L 32°", "L −8°", False),
        ("LEFS", "52/80", "+12", True),
    ]
    assert rows[-1].better is True


def test_the_lefs_chart_marks_the_important_change():
    (chart,) = outcomes.charts(
        [
            m("lefs", DAY, Decimal("40.0")),
            m("lefs", DAY + datetime.timedelta(days=7), Decimal("45.0")),
            m("lefs", DAY + datetime.timedelta(days=21), Decimal("50.0")),
        ]
    )
    dots = chart["lines"][0]["dots"]
    assert [d["important"] for d in dots] == [False, False, True]
    assert dots[0]["x"] == chart["left"] and dots[-1]["x"] == chart["right"]
    assert dots[0]["y"] > dots[-1]["y"]  # higher scores are higher on the chart
    assert chart["band"]["mic"] == 9
    assert chart["band"]["line_y"] < dots[0]["y"]


def test_angle_charts_have_a_line_per_leg_and_no_band():
    (chart,) = outcomes.charts([m("slr", DAY, left=60, right=75), m("slr", DAY, left=200)])
    assert [line["name"] for line in chart["lines"]] == ["Left", "Right"]
    assert chart["band"] is None
    assert chart["grid"][-1]["value"] == 200  # the axis grows to show the largest value


# The rows' rules ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_lefs_stores_the_answers_and_the_total(patient, therapist):
    measure = OutcomeMeasure.objects.create(
        patient=patient, kind="lefs", answers=[3] * 20, recorded_by=therapist
    )
    measure.refresh_from_db()
    assert measure.answers == [3] * 20
    assert measure.score == 60
    assert measure.score_text == "60/80"


@pytest.mark.django_db
def test_saving_psfs_stores_the_mean(patient):
    activities = [{"activity": "Running", "score": 4}, {"activity": "Stairs", "score": 7}]
    measure = OutcomeMeasure.objects.create(patient=patient, kind="psfs", activities=activities)
    measure.refresh_from_db()
    assert measure.score == Decimal("5.5")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "lefs", "answers": [4] * 19}, "__all__"),
        ({"kind": "lefs", "answers": [4] * 19 + [7]}, "__all__"),
        ({"kind": "psfs", "activities": []}, "__all__"),
        ({"kind": "psfs", "activities": [{"activity": "", "score": 3}]}, "__all__"),
        ({"kind": "psfs", "activities": [{"activity": "Run", "score": 11}]}, "__all__"),
        ({"kind": "ake"}, "left_degrees"),
        ({"kind": "ake", "left_degrees": 181}, "left_degrees"),
        ({"kind": "slr", "right_degrees": 200}, "right_degrees"),
        ({"kind": "lefs", "answers": [4] * 20, "left_degrees": 30}, "left_degrees"),
        ({"kind": "ake", "left_degrees": 30, "answers": [4] * 20}, "__all__"),
    ],
)
def test_clean_checks_each_kind(patient, fields, field):
    with pytest.raises(ValidationError) as error:
        OutcomeMeasure(patient=patient, **fields).clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "update"),
    [
        ({"kind": "lefs", "answers": [4] * 20}, {"score": 81}),
        ({"kind": "psfs", "activities": [{"activity": "Run", "score": 5}]}, {"score": 10.5}),
        ({"kind": "ake", "left_degrees": 30}, {"left_degrees": None}),
        ({"kind": "ake", "left_degrees": 30}, {"right_degrees": 181}),
        ({"kind": "ake", "left_degrees": 30}, {"score": 5}),
        ({"kind": "lefs", "answers": [4] * 20}, {"left_degrees": 10}),
        ({"kind": "ake", "left_degrees": 30}, {"kind": "sit"}),
    ],
)
def test_the_database_refuses_out_of_range_rows(patient, fields, update):
    measure = OutcomeMeasure.objects.create(patient=patient, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeMeasure.objects.filter(pk=measure.pk).update(**update)


@pytest.mark.django_db
def test_a_lefs_row_without_a_valid_total_never_saves(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeMeasure.objects.create(patient=patient, kind="lefs", answers=[4] * 3)


@pytest.mark.django_db
def test_one_waiting_request_per_kind(patient, lefs_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeRequest.objects.create(patient=patient, kind="lefs")
    OutcomeRequest.objects.create(patient=patient, kind="psfs")


@pytest.mark.django_db
def test_answering_twice_stores_once(patient, lefs_request):
    first = lefs_request.answer(patient.user, answers=[2] * 20)
    again = OutcomeRequest.objects.get(pk=lefs_request.pk).answer(patient.user, answers=[4] * 20)
    assert again is None
    assert OutcomeMeasure.objects.get() == first
    lefs_request.refresh_from_db()
    assert lefs_request.measure == first and lefs_request.is_answered
    assert first.score == 40 and first.recorded_by == patient.user


# The patient's questionnaire ----------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, lefs_request):
    assertRedirects(
        client.get(f"/outcomes/{lefs_request.pk}/"),
        f"/accounts/login/?next=/outcomes/{lefs_request.pk}/",
        fetch_redirect_response=False,
    )


@pytest.mark.django_db
def test_it_404s_for_another_patient(client, other_patient, lefs_request):
    client.force_login(other_patient.user)
    assert client.get(f"/outcomes/{lefs_request.pk}/").status_code == 404
    response = client.post(f"/outcomes/{lefs_request.pk}/", lefs_post([4] * 20))
    assert response.status_code == 404
    assert not OutcomeMeasure.objects.exists()


@pytest.mark.django_db
def test_staff_go_to_the_admin(client, therapist, lefs_request):
    client.force_login(therapist)
    assert client.get(f"/outcomes/{lefs_request.pk}/")["Location"] == "/admin/"


@pytest.mark.django_db
def test_it_shows_one_fieldset_per_activity(alice_client, lefs_request, django_assert_num_queries):
    with django_assert_num_queries(4):  # session, user, the request, the audit entry
        response = alice_client.get(f"/outcomes/{lefs_request.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") == 20
    assert html.count("<legend>") == 20
    assert html.count('type="radio"') == 100
    assertContains(response, "<legend>1. Your usual work, housework or school activities</legend>")
    assertContains(response, "<legend>20. Rolling over in bed</legend>")
    assertContains(response, "Extreme difficulty or unable")
    assertContains(response, "No difficulty")
    assertContains(response, f'method="post" action="/outcomes/{lefs_request.pk}/"')
    assertNotContains(response, "<script>")


@pytest.mark.django_db
def test_it_shows_the_therapists_message(alice_client, lefs_request):
    lefs_request.message = "Please fill this in before Thursday."
    lefs_request.save()
    assertContains(alice_client.get(f"/outcomes/{lefs_request.pk}/"), "before Thursday")


@pytest.mark.django_db
def test_a_missing_answer_is_named_and_nothing_is_stored(alice_client, lefs_request):
    answers = [4] * 20
    answers[3] = answers[16] = None
    response = alice_client.post(f"/outcomes/{lefs_request.pk}/", lefs_post(answers))
    assert response.status_code == 200
    assertContains(response, "Please answer every question.")
    assertContains(response, "2 still need an answer")
    assertContains(response, 'href="#id_item_4_0">4. Walking between rooms</a>')
    assertContains(response, "Choose one answer for this activity.", count=2)
    assert response.content.decode().count(" checked") == 18  # the answers given stay chosen
    assert not OutcomeMeasure.objects.exists()
    lefs_request.refresh_from_db()
    assert not lefs_request.is_answered


@pytest.mark.django_db
def test_an_answer_outside_0_4_is_refused(alice_client, lefs_request):
    response = alice_client.post(f"/outcomes/{lefs_request.pk}/", lefs_post([9] + [4] * 19))
    assert response.status_code == 200
    assert not OutcomeMeasure.objects.exists()


@pytest.mark.django_db
def test_sending_it_stores_the_measure_and_says_thank_you(
    alice_client, patient, lefs_request, django_assert_num_queries
):
    answers = [4, 3, 2, 1, 0] * 4
    # session, user, request; claim, insert, link + savepoint; the audit trail's two entries
    with django_assert_num_queries(11):
        response = alice_client.post(f"/outcomes/{lefs_request.pk}/", lefs_post(answers))
    assertRedirects(response, "/", fetch_redirect_response=False)
    measure = OutcomeMeasure.objects.get()
    assert (measure.patient, measure.kind, measure.answers) == (patient, "lefs", answers)
    assert measure.score == 40
    lefs_request.refresh_from_db()
    assert lefs_request.measure == measure
    page = alice_client.get("/")
    assertContains(page, "Thank you for filling this in.")
    assertNotContains(page, "Your therapist asked you to fill in a short form")


@pytest.mark.django_db
def test_sending_it_again_never_stores_twice(alice_client, lefs_request):
    url = f"/outcomes/{lefs_request.pk}/"
    alice_client.post(url, lefs_post([4] * 20))
    response = alice_client.post(url, lefs_post([0] * 20))
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert OutcomeMeasure.objects.get().score == 80
    assertContains(alice_client.get("/"), "You&#x27;ve already sent this form.")
    assertRedirects(alice_client.get(url), "/", fetch_redirect_response=False)


@pytest.mark.django_db
def test_psfs_rates_the_activities_the_therapist_named(alice_client, patient):
    request = OutcomeRequest.objects.create(
        patient=patient, kind="psfs", activities=["Running for the bus", "Sitting through a film"]
    )
    url = f"/outcomes/{request.pk}/"
    page = alice_client.get(url)
    assertContains(page, "<legend>Running for the bus</legend>")
    assertContains(page, 'type="radio"', count=22)
    assertNotContains(page, 'type="text"')
    assert alice_client.post(url, {"score_1": "3"}).status_code == 200  # both are needed
    assertRedirects(
        alice_client.post(url, {"score_1": "3", "score_2": "6"}), "/", fetch_redirect_response=False
    )
    measure = OutcomeMeasure.objects.get()
    assert measure.activities == [
        {"activity": "Running for the bus", "score": 3},
        {"activity": "Sitting through a film", "score": 6},
    ]
    assert measure.score == Decimal("4.5")


@pytest.mark.django_db
def test_psfs_lets_the_patient_name_up_to_five(alice_client, patient):
    request = OutcomeRequest.objects.create(patient=patient, kind="psfs")
    url = f"/outcomes/{request.pk}/"
    page = alice_client.get(url)
    assertContains(page, 'type="text"', count=5)
    empty = alice_client.post(url, {})
    assertContains(empty, "Write at least one activity")
    half = alice_client.post(url, {"activity_1": "Stairs", "score_2": "4"})
    assertContains(half, "Choose a number from 0 to 10 for this one.")
    assertContains(half, "Write what this activity is.")
    assert not OutcomeMeasure.objects.exists()
    alice_client.post(
        url, {"activity_1": " Stairs ", "score_1": "4", "activity_3": "Dog walk", "score_3": "8"}
    )
    assert OutcomeMeasure.objects.get().activities == [
        {"activity": "Stairs", "score": 4},
        {"activity": "Dog walk", "score": 8},
    ]


# Today invites the patient --------------------------------------------------------------------


@pytest.mark.django_db
def test_today_links_to_each_waiting_form(alice_client, patient, program, lefs_request):
    psfs = OutcomeRequest.objects.create(patient=patient, kind="psfs")
    response = alice_client.get("/")
    assertContains(response, "Your therapist asked you to fill in a short form")
    assertContains(response, f'href="/outcomes/{lefs_request.pk}/"')
    assertContains(response, f'href="/outcomes/{psfs.pk}/"')


@pytest.mark.django_db
def test_today_shows_only_the_patients_own_waiting_forms(alice_client, other_patient, program):
    OutcomeRequest.objects.create(patient=other_patient, kind="lefs")
    assertNotContains(alice_client.get("/"), "fill in a short form")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2])
def test_the_invitation_costs_one_query(alice_client, patient, program, count):
    for kind in ["lefs", "psfs"][:count]:
        OutcomeRequest.objects.create(patient=patient, kind=kind)
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.get("/")
    assertContains(response, 'href="/outcomes/', count=count)
    asked = [q for q in queries.captured_queries if "programs_outcomerequest" in q["sql"]]
    assert len(asked) == 1
