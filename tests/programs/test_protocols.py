"""The shipped protocol templates (fixtures/protocols.json) against docs/clinical.md §1, §2 and §0."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from programs.models import Prescription, Program
from programs.services import copy_template
from tests.conftest import MONDAY, days

pytestmark = pytest.mark.django_db
NORDIC, ASKLING, STARTER = (
    "nordic-petersen-2011",
    "askling-l-protocol-2013",
    "tight-hamstrings-starter",
)


def snapshot():
    return [model_to_dict(p) for p in Program.objects.order_by("pk")] + [
        model_to_dict(p) for p in Prescription.objects.order_by("pk")
    ]


def test_loading_twice_gives_the_same_rows():
    call_command("loaddata", "hamstring_exercises", "protocols", verbosity=0)
    first = snapshot()
    call_command("loaddata", "protocols", verbosity=0)
    assert snapshot() == first
    assert Program.objects.templates().count() == 3
    assert Prescription.objects.count() == 13


def test_templates_are_drafts_without_patient_or_start(protocols):
    for template in Program.objects.all():
        template.full_clean()
        assert (template.patient, template.start_date, template.status) == (None, None, "draft")
    for prescription in Prescription.objects.all():
        prescription.full_clean()


def test_each_template_cites_its_source(protocols):
    cited = {
        NORDIC: "Petersen et al. 2011",
        ASKLING: "Askling, Tengvar & Thorstensson 2013",
        STARTER: "Creekside guidance",
    }
    for slug, citation in cited.items():
        assert Prescription.objects.filter(
            program__slug=slug, progression__contains=citation
        ).exists()


def test_nordic_copy_has_27_sessions_in_10_weeks(protocols, patient):
    program = copy_template(Program.objects.get(slug=NORDIC), patient, MONDAY)
    sessions = program.planned_sessions(MONDAY, MONDAY + days(69))
    assert len(sessions) == 27
    per_week = Counter(s.week for s in sessions)
    assert [per_week[w] for w in range(1, 11)] == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]
    doses = {s.week: s.items[0].prescription.dose_text for s in sessions}
    assert doses[1] == "2 sets of 5 reps · bodyweight · 1×/week"
    assert doses[2] == "2 sets of 6 reps · bodyweight · 2×/week"
    assert doses[3] == "3 sets of 6-8 reps · bodyweight · 3×/week"
    assert doses[4] == "3 sets of 8-10 reps · bodyweight · 3×/week"
    assert doses[5] == doses[10] == "3 sets: 12, 10, 8 reps · bodyweight · 3×/week"


def test_nordic_copy_goes_on_once_a_week_after_week_10(protocols, patient):
    program = copy_template(Program.objects.get(slug=NORDIC), patient, MONDAY)
    sessions = program.planned_sessions(MONDAY + days(70), MONDAY + days(70 + 52 * 7 - 1))
    assert len(sessions) == 52
    assert {s.items[0].prescription.dose_text for s in sessions} == {
        "3 sets: 12, 10, 8 reps · bodyweight · 1×/week"
    }


def test_askling_copy_over_4_weeks(protocols, patient):
    program = copy_template(Program.objects.get(slug=ASKLING), patient, MONDAY)
    sessions = program.planned_sessions(MONDAY, MONDAY + days(27))
    assert len(sessions) == 56
    counts = Counter(i.exercise.slug for s in sessions for i in s.items)
    assert counts == {"askling-extender": 56, "askling-diver": 14, "askling-glider": 10}
    doses = {i.exercise.slug: i.prescription.dose_text for s in sessions for i in s.items}
    assert doses == {
        "askling-extender": "3 sets of 12 reps · bodyweight · twice a day",
        "askling-diver": "3 sets of 6 reps · bodyweight · every other day",
        "askling-glider": "3 sets of 4 reps · bodyweight · every 3 days",
    }


@pytest.mark.parametrize(
    ("slug", "mix"),
    [
        (
            NORDIC,
            {
                1: (0, 100, 0),
                2: (0, 100, 0),
                3: (0, 100, 0),
                4: (0, 100, 0),
                5: (0, 100, 0),
                11: (0, 100, 0),
            },
        ),
        (ASKLING, {1: (0, 100, 0)}),
        (STARTER, {1: (29, 29, 42), 3: (23, 43, 34)}),
    ],
)
def test_mix_and_warnings_of_each_template(protocols, slug, mix):
    template = Program.objects.get(slug=slug)
    assert template.mix_warnings() == []
    assert [first for first, _ in template.week_ranges()] == list(mix)
    for week, shares in mix.items():
        got, _ = template.mix(week)
        assert (got["concentric"], got["eccentric"], got["nerve_glide"]) == shares


def test_the_starter_glide_is_gentle(protocols):
    glide = Prescription.objects.get(program__slug=STARTER, exercise__kind="nerve_glide")
    assert (glide.ceiling, glide.effort, glide.reps, glide.glide_too_hard()) == (2, 2, "10", [])


def test_a_copy_is_independent_of_its_template(protocols, patient):
    template = Program.objects.get(slug=STARTER)
    program = copy_template(template, patient, MONDAY)
    before = [p.dose_text for p in program.prescriptions.all()]
    template.prescriptions.update(sets=1)
    template.title = "Renamed"
    template.save()
    program.refresh_from_db()
    assert program.title == "Tight hamstrings starter"
    assert [p.dose_text for p in program.prescriptions.all()] == before
    assert set(program.prescriptions.values_list("pk", flat=True)).isdisjoint(
        template.prescriptions.values_list("pk", flat=True)
    )


def test_only_templates_can_be_copied(program, patient):
    with pytest.raises(ValueError, match="Only a protocol template"):
        copy_template(program, patient, MONDAY)
