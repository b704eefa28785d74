"""Prescriptions: one exercise in a program, its dose and the weeks it applies to."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from creekside import dosing
from creekside.dosing import MAX_LOAD_KG, MAX_LOAD_LB, parse_reps, validate_tempo
from exercises.models import MAX_HOLD_SECONDS, MAX_REST_SECONDS, MAX_SETS, Exercise
from programs import insight, schedule
from programs.models.prescription_rules import CONSTRAINTS
from programs.models.program import MAX_WEEKS, NERVE_GLIDE_PAIN_CEILING, Program

WEEK_RANGE = [MinValueValidator(1), MaxValueValidator(MAX_WEEKS)]


class PrescriptionQuerySet(models.QuerySet):
    def get_by_natural_key(self, program_slug, exercise_slug, side, week_from):
        return self.get(
            program__slug=program_slug,
            exercise__slug=exercise_slug,
            side=side,
            week_from=week_from,
        )


class Prescription(models.Model):
    class Side(models.TextChoices):
        BOTH = "both", _("Both legs together")
        LEFT = "left", _("Left leg")
        RIGHT = "right", _("Right leg")
        EACH = "each", _("Each leg in turn")

    class LoadKind(models.TextChoices):
        BODYWEIGHT = "bodyweight", "Bodyweight"
        KG = "kg", "Kilograms"
        LB = "lb", "Pounds"
        BAND = "band", "Band colour"
        PARTNER = "partner", "Partner push"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Times a day, every day"
        EVERY_N_DAYS = "every_n_days", "Every N days"
        PER_WEEK = "per_week", "Sessions a week (any days)"
        WEEKDAYS = "weekdays", "Chosen weekdays"

    program = models.ForeignKey(Program, models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(Exercise, models.PROTECT, related_name="prescriptions")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order within the session.")
    week_from = models.PositiveSmallIntegerField(
        default=1, validators=WEEK_RANGE, help_text="First program week, e.g. 5."
    )
    week_to = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=WEEK_RANGE,
        help_text="Last program week, e.g. 10; leave empty for open-ended.",
    )
    sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    reps = models.CharField(
        max_length=40,
        blank=True,
        help_text="10, a range 6-8, or one number per set 12,10,8. Empty for a hold.",
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_SECONDS)],
        help_text="Seconds per hold, e.g. 30 (per rep when reps are also set).",
    )
    side = models.CharField(max_length=5, choices=Side, default=Side.BOTH)
    tempo = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_tempo],
        help_text="Lower-pause-lift-pause seconds, e.g. 4-0-1-0 (X = fast).",
    )
    load_kind = models.CharField(max_length=10, choices=LoadKind, default=LoadKind.BODYWEIGHT)
    load_amount = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_LOAD_LB)],
        help_text="For kg or lb, e.g. 8 (at most 300 kg or 660 lb).",
    )
    load_text = models.CharField(
        max_length=60, blank=True, help_text="Band colour (e.g. red) or other load, in words."
    )
    effort = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Target effort 0-10 (modified Borg CR10), e.g. 6.",
    )
    rest_seconds = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(MAX_REST_SECONDS)], help_text="Between sets."
    )
    pain_ceiling = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Highest pain allowed (0-10). Empty: the program's, or 2 for nerve glides.",
    )
    frequency = models.CharField(max_length=12, choices=Frequency, default=Frequency.PER_WEEK)
    frequency_count = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text="Times a day, N for every N days, or sessions a week.",
    )
    weekdays = models.CharField(
        max_length=13, blank=True, help_text="For chosen weekdays: 0=Mon … 6=Sun, e.g. 0,2,4."
    )
    progression = models.TextField(
        blank=True, help_text="When to progress, for therapists, e.g. add load at 12 reps."
    )
    notes = models.TextField(blank=True, help_text="A note to the patient.")
    # Parsed once on save (see save()): pages read these and never parse, so no page can fail on
    # a stored row. One [low, high] per set, or null per set for a pure hold.
    rep_targets = models.JSONField(default=list, blank=True, editable=False)
    dose_text = models.CharField(max_length=200, blank=True, editable=False)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order", "week_from", "pk"]
        constraints = CONSTRAINTS

    def __str__(self):
        return f"{self.exercise} · {self.dose_text}"

    def save(self, *args, **kwargs):
        self.rep_targets, self.dose_text = dosing.describe(self, self.weekday_list)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "rep_targets", "dose_text"}
        super().save(*args, **kwargs)

    def natural_key(self):
        if not self.program.natural_key():  # a patient's plan: keep the pk (backups)
            return ()
        return (
            *self.program.natural_key(),
            *self.exercise.natural_key(),
            self.side,
            self.week_from,
        )

    natural_key.dependencies = ["programs.program", "exercises.exercise"]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        row = super().from_db(db, field_names, values, **kwargs)
        # A row saved without save() (a raw fixture load, update(), SQL) has no stored dose yet:
        # describe it in memory, safely, so a page never parses or fails while rendering.
        if "dose_text" in row.__dict__ and not row.dose_text and "reps" in row.__dict__:
            row.rep_targets, row.dose_text = dosing.describe(row, row.weekday_list)
        return row

    def clean(self):
        errors = {}
        if not self.reps and self.hold_seconds is None:
            errors["reps"] = "Give the reps (e.g. 10) or a hold time in seconds."
        elif self.reps and self.sets in range(1, MAX_SETS + 1):  # else the sets field says so
            try:
                parse_reps(self.reps, self.sets)
            except ValidationError as error:
                errors["reps"] = error.messages
        if self.week_to and self.week_from and self.week_to < self.week_from:
            errors["week_to"] = "The last week comes before the first week."
        if self.load_kind in (self.LoadKind.KG, self.LoadKind.LB) and not self.load_amount:
            errors["load_amount"] = "Give the weight, e.g. 8."
        elif self.load_kind == self.LoadKind.KG and self.load_amount > MAX_LOAD_KG:
            errors["load_amount"] = f"At most {MAX_LOAD_KG} kg."
        if self.load_kind in (self.LoadKind.BAND, self.LoadKind.OTHER) and not self.load_text:
            errors["load_text"] = "Name the band colour or describe the load."
        if self.frequency == self.Frequency.WEEKDAYS and not self.weekday_list:
            errors["weekdays"] = "Pick at least one weekday."
        if self.frequency == self.Frequency.PER_WEEK and self.frequency_count > 7:
            errors["frequency_count"] = "A week has 7 days: at most 7 sessions a week."
        if self.frequency == self.Frequency.DAILY and self.frequency_count > 6:
            errors["frequency_count"] = "At most 6 times a day."
        if mismatch := self.side_mismatch():
            errors["side"] = ValidationError(mismatch, code="side_mismatch")
        if errors:
            raise ValidationError(errors)
        if getattr(self, "check_siblings", True):
            self.clean_overlap()

    def side_mismatch(self):
        """Why the side doesn't fit the exercise (one leg or both together), or "".

        A template may leave a one-leg exercise at "both": the leg is chosen when it is started.
        """
        if not self.exercise_id:
            return ""
        name = self.exercise.name
        if not self.exercise.unilateral and self.side != self.Side.BOTH:
            return f"{name} works both legs together: choose “Both legs together”."
        program = getattr(self, "program", None)
        if self.exercise.unilateral and self.side == self.Side.BOTH:
            if program is not None and program.is_template:
                return ""
            return (
                f"{name} is done one leg at a time: choose the leg, or “Each leg in turn” "
                "for both legs."
            )
        return ""

    def clean_overlap(self):
        """Refuse a row that gives its exercise to the same leg in weeks another row has."""
        if not (self.program_id and self.exercise_id and self.week_from):
            return
        siblings = (
            Prescription.objects.filter(program_id=self.program_id, exercise_id=self.exercise_id)
            .exclude(pk=self.pk)
            .select_related("exercise")
        )
        rows = [self.rx, *(p.rx for p in siblings)]
        if any(self in (a.key, b.key) for a, b in schedule.overlapping(rows)):
            raise overlap_error(self.exercise.name)

    # Schedule facts for programs.schedule ---------------------------------------------------

    @property
    def rx(self):
        return schedule.Rx(
            key=self,
            week_from=self.week_from,
            week_to=self.week_to,
            frequency=self.frequency,
            frequency_count=self.frequency_count,
            weekdays=tuple(self.weekday_list),
            order=self.order,
            kind=self.exercise.kind if self.exercise_id else "",
            exercise=self.exercise_id,
            side=self.side,
            volume_per_session=self.volume_per_session,
        )

    def applies_in(self, week):
        return schedule.applies_in(self.rx, week)

    @property
    def week_range_text(self):
        if self.week_to == self.week_from:
            return str(self.week_from)
        return f"{self.week_from}-{self.week_to}" if self.week_to else f"{self.week_from}+"

    @property
    def weekday_list(self):
        return sorted({int(d) for d in (self.weekdays or "").split(",") if d.strip().isdigit()})

    @property
    def volume_per_session(self):
        """Reps (or holds) a session, counting both sides: the unit the mix is measured in."""
        per_set = [(t[0] + t[1]) / 2 if t else 1 for t in self.set_targets()]
        return sum(per_set) * len(self.sides)

    @property
    def weekly_volume(self):
        return self.volume_per_session * schedule.sessions_per_week(self.rx)

    def glide_too_hard(self):
        """Reasons this nerve glide is dosed harder than gentle (docs/clinical.md §3), if any."""
        if self.exercise.kind != Exercise.Kind.NERVE_GLIDE:
            return []
        return insight.glide_too_hard(
            loaded=self.load_kind != self.LoadKind.BODYWEIGHT,
            effort=self.effort,
            ceiling=self.ceiling,
            most_reps=max((t[1] for t in self.set_targets() if t), default=0),
        )

    # Dose: what the pages show, from the stored parse -------------------------------------

    @property
    def ceiling(self):
        if self.pain_ceiling is not None:
            return self.pain_ceiling
        if self.exercise.kind == Exercise.Kind.NERVE_GLIDE:
            return NERVE_GLIDE_PAIN_CEILING
        return self.program.pain_ceiling

    def set_targets(self):
        """One (low, high) rep target per set, or None per set for a pure hold (never raises)."""
        stored = self.rep_targets or dosing.safe_targets(self.reps, self.sets)
        return [tuple(t) if t else None for t in stored]

    @property
    def sides(self):
        """The sides each set is done on, in order."""
        if self.side == self.Side.EACH:
            return ["left", "right"]
        return [self.side]

    def describe(self):
        """The dose line as the fields read now (save() stores it in dose_text)."""
        return dosing.describe(self, self.weekday_list)[1]

    @property
    def load_display(self):
        return dosing.load_text(self.load_kind, self.load_amount, self.load_text)

    @property
    def frequency_text(self):
        return dosing.frequency_text(self.frequency, self.frequency_count, self.weekday_list)


def overlap_error(name):
    return ValidationError(
        "%(exercise)s is prescribed twice for the same leg in the same weeks. To change a dose "
        "from a later week, end the first row the week before (set its last week), then start "
        "the new row.",
        code="overlapping_rows",
        params={"exercise": name},
    )
