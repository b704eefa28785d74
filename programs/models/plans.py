"""Programs, their prescriptions, and the schedule they plan."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property

from creekside.dosing import format_target, parse_reps, validate_tempo
from exercises.models import MAX_HOLD_SECONDS, MAX_REST_SECONDS, MAX_SETS, Exercise
from programs.models.people import Patient

DEFAULT_PAIN_CEILING = 5  # pain-monitoring model: up to 5/10 during exercise (CLINICAL.md §5)
NERVE_GLIDE_PAIN_CEILING = 2  # glides must stay near symptom-free (CLINICAL.md §3, §8)
GLIDE_MAX_EFFORT = 3  # a glide should feel easy: light tension, never a strong stretch
GLIDE_MAX_REPS = 15  # published glide doses run 10-15 slow reps (CLINICAL.md §3)
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def week_span_text(first, last):
    """'week 3', 'weeks 1-4' or 'weeks 5 onwards'."""
    if last is None:
        return f"weeks {first} onwards"
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def pain_range(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 10})


class ProgramQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def templates(self):
        return self.filter(patient__isnull=True)

    def plans(self):
        return self.filter(patient__isnull=False)

    def active(self):
        return self.filter(status=Program.Status.ACTIVE)

    def for_user(self, user):
        return self.filter(patient__user=user)


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"

    patient = models.ForeignKey(
        Patient,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="programs",
        help_text="Leave empty to make a reusable protocol template.",
    )
    title = models.CharField(max_length=120, help_text="e.g. Nordic hamstring progression")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Templates only: the stable name fixtures use, e.g. nordic-petersen-2011.",
    )
    goal = models.TextField(blank=True, help_text="What this plan is for, in the patient's words.")
    start_date = models.DateField(null=True, blank=True, help_text="Week 1 starts on this day.")
    weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="Length in weeks; leave empty for open-ended.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    status_since = models.DateField(
        default=datetime.date.today, help_text="When the status last changed."
    )
    # Closed pauses as [first day, last day] ISO pairs: the schedule plans nothing inside them,
    # so adherence never counts a pause as missed sessions.
    paused_periods = models.JSONField(default=list, blank=True, editable=False)
    pain_ceiling = models.PositiveSmallIntegerField(
        default=DEFAULT_PAIN_CEILING,
        validators=[MaxValueValidator(10)],
        help_text="Highest pain (0-10) allowed during exercise unless a prescription says otherwise.",
    )
    template = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        limit_choices_to={"patient__isnull": True},
        help_text="The protocol this plan was copied from.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "paused", "completed"]),
                name="programs_program_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(pain_ceiling__gte=0, pain_ceiling__lte=10),
                name="programs_program_pain_ceiling_0_10",
            ),
            models.CheckConstraint(
                condition=Q(weeks__isnull=True) | Q(weeks__gte=1, weeks__lte=104),
                name="programs_program_weeks_1_104",
            ),
            models.CheckConstraint(
                condition=Q(slug__isnull=True) | Q(patient__isnull=True),
                name="programs_program_only_templates_have_slugs",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="programs_program_one_active_per_patient",
                violation_error_message="This patient already has an active plan.",
            ),
            models.CheckConstraint(
                condition=Q(patient__isnull=True) | Q(start_date__isnull=False),
                name="programs_program_plan_has_start",
            ),
            models.CheckConstraint(
                condition=Q(patient__isnull=False) | Q(status="draft"),
                name="programs_program_template_is_draft",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.patient or 'template'})"

    def natural_key(self):
        return (self.slug,)

    @property
    def is_template(self):
        return self.patient_id is None

    def change_status(self, status, day):
        """Move to status from day on, keeping a record of pauses (call save afterwards)."""
        if status == self.status:
            return
        if self.status == self.Status.PAUSED and self.status_since < day:
            last = day - datetime.timedelta(days=1)
            self.paused_periods = [
                *self.paused_periods,
                [self.status_since.isoformat(), last.isoformat()],
            ]
        self.status = status
        self.status_since = day

    def paused_on(self, day):
        return any(first <= day.isoformat() <= last for first, last in self.paused_periods)

    def clean(self):
        if self.patient_id and not self.start_date:
            raise ValidationError(
                {"start_date": "A patient's plan needs a start date."}, code="start_required"
            )
        if not self.patient_id and self.status != self.Status.DRAFT:
            raise ValidationError(
                {"status": "A template has no patient, so it stays a draft."},
                code="template_status",
            )
        if self.patient_id and self.slug:
            raise ValidationError(
                {"slug": "Only templates have a fixture name; clear it for a patient's plan."},
                code="plan_slug",
            )

    def week_of(self, day):
        """Return the program week (1-based) that contains day, or None outside the program."""
        if not self.start_date or day < self.start_date:
            return None
        week = (day - self.start_date).days // 7 + 1
        return None if self.weeks and week > self.weeks else week

    def week_start(self, week):
        return self.start_date + datetime.timedelta(weeks=week - 1)

    @property
    def end_date(self):
        """Last day of the program, or None when open-ended."""
        if not self.start_date or not self.weeks:
            return None
        return self.start_date + datetime.timedelta(weeks=self.weeks, days=-1)

    def schedule_window(self, start, end):
        """Clip start..end to the days this program plans sessions for."""
        if self.status == self.Status.DRAFT or not self.start_date:
            return None
        first = max(start, self.start_date)
        last = min(end, self.end_date) if self.end_date else end
        if self.status in (self.Status.PAUSED, self.Status.COMPLETED):
            last = min(last, self.status_since - datetime.timedelta(days=1))
        return (first, last) if first <= last else None

    def planned_sessions(self, start, end, prescriptions=None):
        """Return the PlannedSessions due from start to end (inclusive), in date and slot order."""
        window = self.schedule_window(start, end)
        if window is None:
            return []
        if prescriptions is None:
            prescriptions = list(self.prescriptions.select_related("exercise"))
        sessions = []
        for offset in range((window[1] - window[0]).days + 1):
            day = window[0] + datetime.timedelta(days=offset)
            if self.paused_on(day):
                continue
            week = self.week_of(day)
            due = [(p, p.times_due(day, week)) for p in prescriptions if p.applies_in(week)]
            slots = max((times for _, times in due), default=0)
            for slot in range(1, slots + 1):
                items = [PlannedItem(p, week) for p, times in due if times >= slot]
                sessions.append(PlannedSession(self, day, slot, week, items))
        return sessions

    def mix(self, week, prescriptions=None):
        """Return each kind's share (0-100) of this week's volume, and the total volume."""
        if prescriptions is None:
            prescriptions = list(self.prescriptions.select_related("exercise"))
        volume = dict.fromkeys(Exercise.Kind, 0.0)
        for p in prescriptions:
            if p.applies_in(week):
                volume[p.exercise.kind] += p.weekly_volume
        total = sum(volume.values())
        shares = {kind: round(100 * v / total) if total else 0 for kind, v in volume.items()}
        return shares, total

    def mix_warnings(self, prescriptions=None):
        """Where this program contradicts the clinic's guidance (CLINICAL.md §0, §3)."""
        if prescriptions is None:
            prescriptions = list(self.prescriptions.select_related("exercise"))
        warnings = []
        starts = self.weeks_with_changes(prescriptions)
        for first, following in zip(starts, [*starts[1:], None], strict=True):
            kinds = {p.exercise.kind for p in prescriptions if p.applies_in(first)}
            if Exercise.Kind.CONCENTRIC in kinds and Exercise.Kind.ECCENTRIC not in kinds:
                weeks = week_span_text(first, following - 1 if following else self.weeks)
                warnings.append(
                    f"All strengthening is concentric in {weeks}. Concentric work alone can "
                    "leave the hamstrings feeling tighter; add eccentric work (strength in the "
                    "lengthened position)."
                )
        no_eccentric = all(p.exercise.kind != Exercise.Kind.ECCENTRIC for p in prescriptions)
        if prescriptions and no_eccentric and not warnings:
            warnings.append(
                "No eccentric work: a tight-hamstring program should build strength in the "
                "lengthened position."
            )
        for p in prescriptions:
            reasons = p.glide_too_hard()
            if reasons:
                warnings.append(
                    f"{p.exercise.name} (weeks {p.week_range_text}) is dosed harder than a gentle "
                    f"nerve glide: {'; '.join(reasons)}."
                )
        return warnings

    def weeks_with_changes(self, prescriptions=None):
        """Return the week numbers where the set of prescriptions changes (for the plan page)."""
        if prescriptions is None:
            prescriptions = list(self.prescriptions.all())
        bounds = {1}
        for p in prescriptions:
            bounds.add(p.week_from)
            if p.week_to:
                bounds.add(p.week_to + 1)
        last = self.weeks or max(bounds)
        return sorted(b for b in bounds if b <= last)


@dataclass
class PlannedItem:
    prescription: "Prescription"
    week: int

    @property
    def exercise(self):
        return self.prescription.exercise


@dataclass
class PlannedSession:
    program: Program
    date: datetime.date
    slot: int
    week: int
    items: list = field(default_factory=list)

    @property
    def key(self):
        return (self.date, self.slot)


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
        BOTH = "both", "Both legs together"
        LEFT = "left", "Left leg"
        RIGHT = "right", "Right leg"
        EACH = "each", "Each leg in turn"

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
        default=1, validators=[MinValueValidator(1)], help_text="First program week, e.g. 5."
    )
    week_to = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
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
        validators=[MinValueValidator(0)],
        help_text="For kg or lb, e.g. 8.",
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

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "week_from", "order", "pk"]
        constraints = [
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
                condition=~Q(load_kind__in=["kg", "lb"])
                | Q(load_amount__isnull=False, load_amount__gt=0),
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

    def __str__(self):
        return f"{self.exercise} · {self.dose_text}"

    def natural_key(self):
        return (
            *self.program.natural_key(),
            *self.exercise.natural_key(),
            self.side,
            self.week_from,
        )

    natural_key.dependencies = ["programs.program", "exercises.exercise"]

    def clean(self):
        errors = {}
        if not self.reps and self.hold_seconds is None:
            errors["reps"] = "Give the reps (e.g. 10) or a hold time in seconds."
        elif self.reps and self.sets:
            try:
                parse_reps(self.reps, self.sets)
            except ValidationError as error:
                errors["reps"] = error.messages
        if self.week_to and self.week_from and self.week_to < self.week_from:
            errors["week_to"] = "The last week comes before the first week."
        if self.load_kind in (self.LoadKind.KG, self.LoadKind.LB) and not self.load_amount:
            errors["load_amount"] = "Give the weight, e.g. 8."
        if self.load_kind in (self.LoadKind.BAND, self.LoadKind.OTHER) and not self.load_text:
            errors["load_text"] = "Name the band colour or describe the load."
        if self.frequency == self.Frequency.WEEKDAYS and not self.weekday_list:
            errors["weekdays"] = "Pick at least one weekday."
        if self.frequency == self.Frequency.PER_WEEK and self.frequency_count > 7:
            errors["frequency_count"] = "A week has 7 days: at most 7 sessions a week."
        if self.frequency == self.Frequency.DAILY and self.frequency_count > 6:
            errors["frequency_count"] = "At most 6 times a day."
        if errors:
            raise ValidationError(errors)

    # Schedule rules ---------------------------------------------------------------------

    def applies_in(self, week):
        return (
            week is not None
            and week >= self.week_from
            and (self.week_to is None or week <= self.week_to)
        )

    @property
    def week_range_text(self):
        if self.week_to == self.week_from:
            return str(self.week_from)
        return f"{self.week_from}-{self.week_to}" if self.week_to else f"{self.week_from}+"

    @cached_property
    def weekday_list(self):
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip().isdigit()})

    def times_due(self, day, week):
        """How many times this prescription is due on day (0, 1, or several for times a day)."""
        if not self.applies_in(week):
            return 0
        if self.frequency == self.Frequency.DAILY:
            return self.frequency_count
        if self.frequency == self.Frequency.WEEKDAYS:
            return int(day.weekday() in self.weekday_list)
        week_start = self.program.week_start(week)
        if self.frequency == self.Frequency.EVERY_N_DAYS:
            anchor = self.program.week_start(self.week_from)
            return int((day - anchor).days % self.frequency_count == 0)
        # Sessions a week on any days: spread evenly over the program week, from its first day.
        offsets = {i * 7 // self.frequency_count for i in range(self.frequency_count)}
        return int((day - week_start).days in offsets)

    @property
    def sessions_per_week(self):
        n = self.frequency_count
        return {
            self.Frequency.DAILY: 7 * n,
            self.Frequency.EVERY_N_DAYS: 7 / n,
            self.Frequency.PER_WEEK: n,
            self.Frequency.WEEKDAYS: len(self.weekday_list),
        }[self.frequency]

    @property
    def weekly_volume(self):
        """Reps (or holds) a week, counting both sides: the unit the mix is measured in."""
        per_set = [(low + high) / 2 if low else 1 for low, high in self._targets_or_holds()]
        return sum(per_set) * len(self.sides) * self.sessions_per_week

    def _targets_or_holds(self):
        return [t or (0, 0) for t in self.set_targets()]

    def glide_too_hard(self):
        """Reasons this nerve glide is dosed harder than gentle (CLINICAL.md §3), if any."""
        if self.exercise.kind != Exercise.Kind.NERVE_GLIDE:
            return []
        reasons = []
        if self.load_kind != self.LoadKind.BODYWEIGHT:
            reasons.append("it carries a load")
        if self.effort is not None and self.effort > GLIDE_MAX_EFFORT:
            reasons.append(f"target effort {self.effort}/10 (gentle is {GLIDE_MAX_EFFORT} or less)")
        if self.ceiling > NERVE_GLIDE_PAIN_CEILING:
            reasons.append(
                f"pain ceiling {self.ceiling}/10 (glides stay at {NERVE_GLIDE_PAIN_CEILING})"
            )
        most = max((high for low, high in self._targets_or_holds()), default=0)
        if most > GLIDE_MAX_REPS:
            reasons.append(f"{most} reps in a set (gentle is {GLIDE_MAX_REPS} or fewer)")
        return reasons

    # Dose ----------------------------------------------------------------------------------

    @property
    def ceiling(self):
        if self.pain_ceiling is not None:
            return self.pain_ceiling
        if self.exercise.kind == Exercise.Kind.NERVE_GLIDE:
            return NERVE_GLIDE_PAIN_CEILING
        return self.program.pain_ceiling

    def set_targets(self):
        """Return one (low, high) rep target per set, or None per set for a pure hold."""
        if not self.reps:
            return [None] * self.sets
        return parse_reps(self.reps, self.sets)

    @property
    def sides(self):
        """The sides each set is done on, in order."""
        if self.side == self.Side.EACH:
            return ["left", "right"]
        return [self.side]

    @property
    def load_display(self):
        amount = f"{self.load_amount.normalize():f}" if self.load_amount else ""
        return {
            self.LoadKind.BODYWEIGHT: "bodyweight",
            self.LoadKind.KG: f"{amount} kg",
            self.LoadKind.LB: f"{amount} lb",
            self.LoadKind.BAND: f"{self.load_text} band",
            self.LoadKind.PARTNER: "partner push"
            + (f" ({self.load_text})" if self.load_text else ""),
            self.LoadKind.OTHER: self.load_text,
        }[self.load_kind]

    @property
    def volume_text(self):
        if not self.reps:
            return f"{self.sets} {'hold' if self.sets == 1 else 'holds'} of {self.hold_seconds} s"
        targets = [format_target(*t) for t in self.set_targets()]
        if len(set(targets)) == 1:
            text = f"{self.sets} {'set' if self.sets == 1 else 'sets'} of {targets[0]} reps"
        else:
            text = f"{self.sets} sets: {', '.join(targets)} reps"
        return text + (f", hold {self.hold_seconds} s" if self.hold_seconds else "")

    @property
    def tempo_text(self):
        if not self.tempo:
            return ""
        lower = self.tempo.split("-")[0]
        return "lower fast" if lower.lower() == "x" else f"lower over {lower} s"

    @property
    def frequency_text(self):
        n = self.frequency_count
        if self.frequency == self.Frequency.DAILY:
            return "once a day" if n == 1 else ("twice a day" if n == 2 else f"{n}×/day")
        if self.frequency == self.Frequency.EVERY_N_DAYS:
            return "every day" if n == 1 else ("every other day" if n == 2 else f"every {n} days")
        if self.frequency == self.Frequency.PER_WEEK:
            return f"{n}×/week"
        return " ".join(WEEKDAY_NAMES[d] for d in self.weekday_list)

    @property
    def dose_text(self):
        """One line: '3 sets: 12, 10, 8 reps · lower over 4 s · bodyweight · effort 6/10 · 3×/week'."""
        parts = [self.volume_text]
        if self.side == self.Side.EACH:
            parts[0] += " each side"
        elif self.side in (self.Side.LEFT, self.Side.RIGHT):
            parts[0] += f" ({self.side} leg)"
        parts += [self.tempo_text, self.load_display]
        if self.effort is not None:
            parts.append(f"effort {self.effort}/10")
        parts.append(self.frequency_text)
        return " · ".join(p for p in parts if p)
