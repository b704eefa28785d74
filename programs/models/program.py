"""Programs: a patient's plan or a reusable protocol template, and the schedule it plans."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from exercises.models import Exercise
from programs import insight, schedule
from programs.models.people import Patient

DEFAULT_PAIN_CEILING = 5  # pain-monitoring model: up to 5/10 during exercise (docs/clinical.md §5)
NERVE_GLIDE_PAIN_CEILING = insight.GLIDE_CEILING  # docs/clinical.md §3, §8
MAX_WEEKS = 104  # two years: longer is a typo, not a home programme
EARLIEST_START = datetime.date(2000, 1, 1)
START_DAYS_AHEAD = 1826  # about five years
# The database's backstop is fixed and wide; the form's window moves with today.
STORED_START_RANGE = (EARLIEST_START, datetime.date(2100, 12, 31))


def pain_range(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 10})


def validate_start_date(value):
    """Refuse a start before 2000 or more than about five years ahead: a typo, not a plan."""
    latest = timezone.localdate() + datetime.timedelta(days=START_DAYS_AHEAD)
    if value is not None and not EARLIEST_START <= value <= latest:
        raise ValidationError(
            "Pick a start date from %(first)s to %(last)s.",
            code="start_out_of_range",
            params={"first": f"{EARLIEST_START:%-d %b %Y}", "last": f"{latest:%-d %b %Y}"},
        )


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

    def for_therapist(self, user):
        """The plans of the patients whose care team this therapist is on."""
        return self.filter(patient__in=Patient.objects.cared_for_by(user).values("pk"))

    def visible_to(self, user):
        """Templates, and the plans of the patients this user may see."""
        return self.filter(
            Q(patient__isnull=True) | Q(patient__in=Patient.objects.visible_to(user).values("pk"))
        )


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
    start_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_start_date],
        help_text="Week 1 starts on this day.",
    )
    weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEKS)],
        help_text="Length in weeks; leave empty for open-ended.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    status_since = models.DateField(
        default=timezone.localdate, help_text="When the status last changed."
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
                condition=Q(weeks__isnull=True) | Q(weeks__gte=1, weeks__lte=MAX_WEEKS),
                name="programs_program_weeks_1_104",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__range=STORED_START_RANGE),
                name="programs_program_start_2000_2100",
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
        # Templates are named by slug (fixtures); a patient's plan has none and keeps its pk.
        return (self.slug,) if self.slug else ()

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

    # The schedule: every rule is in programs.schedule; these describe the row to it. ----------

    @property
    def plan(self):
        pauses = []
        for pair in self.paused_periods or []:
            try:
                pauses.append(tuple(datetime.date.fromisoformat(d) for d in pair))
            except (TypeError, ValueError):  # a hand-edited pause the schedule can't read
                continue
        return schedule.Plan(
            start_date=self.start_date,
            weeks=self.weeks,
            status=self.status,
            status_since=self.status_since,
            pauses=tuple(pauses),
        )

    def week_of(self, day):
        """Return the program week (1-based) that contains day, or None outside the program."""
        return schedule.week_of(self.plan, day)

    def week_start(self, week):
        return schedule.week_start(self.plan, week)

    @property
    def end_date(self):
        """Last day of the program, or None when open-ended."""
        return schedule.end_date(self.plan)

    def paused_on(self, day):
        return schedule.paused_on(self.plan, day)

    def state_on(self, day):
        """("running", None), or the state and the date to tell: see schedule.plan_state."""
        return schedule.plan_state(self.plan, day)

    def _rows(self, prescriptions):
        if prescriptions is None:
            prescriptions = list(self.prescriptions.select_related("exercise"))
        return [p.rx for p in prescriptions]

    def planned_sessions(self, start, end, prescriptions=None):
        """Return the PlannedSessions due from start to end (inclusive), in date and slot order."""
        plan = self.plan
        if schedule.schedule_window(plan, start, end) is None:
            return []
        return [
            PlannedSession(
                self, s.date, s.slot, s.week, [PlannedItem(rx.key, s.week) for rx in s.items]
            )
            for s in schedule.planned_sessions(plan, self._rows(prescriptions), start, end)
        ]

    def mix(self, week, prescriptions=None):
        """Return each kind's share (0-100) of this week's volume, and the total volume."""
        return schedule.mix(self._rows(prescriptions), week, list(Exercise.Kind))

    def week_ranges(self, prescriptions=None):
        """(first, last) week spans with the same rows; last is None when open-ended."""
        return schedule.week_ranges(self._rows(prescriptions), self.weeks)

    def mix_warnings(self, prescriptions=None):
        """Where this program contradicts the clinic's guidance (docs/clinical.md §0, §3)."""
        if prescriptions is None:
            prescriptions = list(self.prescriptions.select_related("exercise"))
        rows = self._rows(prescriptions)
        warnings = [
            f"All strengthening is concentric in {schedule.week_span_text(first, last)}. "
            "Concentric work alone can leave the hamstrings feeling tighter; add eccentric work "
            "(strength in the lengthened position)."
            for first, last in schedule.concentric_only_spans(rows, self.weeks)
        ]
        if rows and not warnings and all(rx.kind != Exercise.Kind.ECCENTRIC for rx in rows):
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


@dataclass
class PlannedItem:
    prescription: object
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
