"""The database's rules for a prescription row: every range and choice, named (STYLE §2)."""

from django.db import models
from django.db.models import F, Q

from creekside import dosing
from exercises.models import MAX_HOLD_SECONDS, MAX_REST_SECONDS, MAX_SETS
from programs.models.program import MAX_WEEKS, pain_range

CONSTRAINTS = [
    models.UniqueConstraint(
        fields=["program", "exercise", "side", "week_from"],
        name="programs_prescription_unique_row",
        violation_error_message=(
            "This exercise already has a row for that side starting in that week."
        ),
    ),
    models.CheckConstraint(
        condition=Q(sets__gte=1, sets__lte=MAX_SETS), name="programs_prescription_sets_1_10"
    ),
    models.CheckConstraint(
        condition=~Q(reps="") | Q(hold_seconds__isnull=False),
        name="programs_prescription_reps_or_hold",
    ),
    models.CheckConstraint(
        condition=Q(hold_seconds__isnull=True)
        | Q(hold_seconds__gte=1, hold_seconds__lte=MAX_HOLD_SECONDS),
        name="programs_prescription_hold_1_300",
    ),
    models.CheckConstraint(
        condition=Q(week_from__gte=1), name="programs_prescription_week_from_positive"
    ),
    models.CheckConstraint(
        condition=Q(week_to__isnull=True) | Q(week_to__gte=F("week_from")),
        name="programs_prescription_week_range",
    ),
    models.CheckConstraint(
        condition=Q(week_from__lte=MAX_WEEKS)
        & (Q(week_to__isnull=True) | Q(week_to__lte=MAX_WEEKS)),
        name="programs_prescription_weeks_at_most_104",
    ),
    models.CheckConstraint(
        condition=dosing.tempo_check("tempo"), name="programs_prescription_tempo_0_10"
    ),
    models.CheckConstraint(
        condition=dosing.load_check(), name="programs_prescription_load_plausible"
    ),
    models.CheckConstraint(
        condition=pain_range("pain_ceiling"), name="programs_prescription_pain_0_10"
    ),
    models.CheckConstraint(
        condition=pain_range("effort"), name="programs_prescription_effort_0_10"
    ),
    models.CheckConstraint(
        condition=Q(rest_seconds__lte=MAX_REST_SECONDS),
        name="programs_prescription_rest_0_600",
    ),
    models.CheckConstraint(
        condition=Q(side__in=["both", "left", "right", "each"]),
        name="programs_prescription_side_valid",
    ),
    models.CheckConstraint(
        condition=Q(load_kind__in=["bodyweight", "kg", "lb", "band", "partner", "other"]),
        name="programs_prescription_load_kind_valid",
    ),
    models.CheckConstraint(
        condition=~Q(load_kind__in=["kg", "lb"]) | Q(load_amount__isnull=False, load_amount__gt=0),
        name="programs_prescription_weight_has_amount",
    ),
    models.CheckConstraint(
        condition=~Q(load_kind__in=["band", "other"]) | ~Q(load_text=""),
        name="programs_prescription_load_has_text",
    ),
    models.CheckConstraint(
        condition=Q(frequency__in=["daily", "every_n_days", "per_week", "weekdays"]),
        name="programs_prescription_frequency_valid",
    ),
    models.CheckConstraint(
        condition=Q(frequency_count__gte=1, frequency_count__lte=14)
        & (~Q(frequency="per_week") | Q(frequency_count__lte=7))
        & (~Q(frequency="daily") | Q(frequency_count__lte=6)),
        name="programs_prescription_frequency_count_range",
    ),
    models.CheckConstraint(
        condition=~Q(frequency="weekdays") | Q(weekdays__regex=r"^[0-6](,[0-6])*$"),
        name="programs_prescription_weekdays_listed",
    ),
]
