"""`seed_demo --month`: the attention list tells each scripted story, and no others."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from programs.admin.attention import needs_attention

pytestmark = pytest.mark.django_db


def test_the_month_puts_the_right_patients_on_the_list_for_the_right_reasons(protocols, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--month", verbosity=0)
    call_command("seed_demo", "--month", verbosity=0)  # a second run adds nothing
    therapist = get_user_model().objects.get(username="therapist")
    rows = needs_attention(therapist, timezone.localdate())
    found = {row.patient.name: {s.kind for s in row.signals} for row in rows}
    expected = {
        "Marco Stop": {"stop"},
        "Lena Sore": {"morning", "pain"},
        "Omar Away": {"absent"},
        "Jia Hard": {"too_hard"},
    }
    assert set(found) == set(expected)
    for name, kinds in expected.items():
        # When the story's session ends a week, that week's mean also rises: a true extra.
        assert kinds <= found[name] <= kinds | {"pain_rising", "effort_rising"}, name
    assert [row.patient.name for row in rows][:2] == ["Lena Sore", "Marco Stop"]
