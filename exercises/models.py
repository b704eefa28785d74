from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from creekside.dosing import MAX_SETS, parse_reps, tempo_check, validate_tempo

MAX_HOLD_SECONDS = 300
MAX_REST_SECONDS = 600


def lines(text):
    """The non-blank lines of a line-by-line field, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ExerciseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Exercise(models.Model):
    class Kind(models.TextChoices):
        CONCENTRIC = "concentric", _("Concentric")
        ECCENTRIC = "eccentric", _("Eccentric")
        NERVE_GLIDE = "nerve_glide", _("Nerve glide")

    class Position(models.TextChoices):
        LYING = "lying", _("Lying")
        SITTING = "sitting", _("Sitting")
        STANDING = "standing", _("Standing")
        KNEELING = "kneeling", _("Kneeling")

    slug = models.SlugField(
        max_length=80, unique=True, help_text="Stable name used by fixtures, e.g. nordic-curl."
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        help_text="Concentric (shortening), eccentric (lengthening) or nerve glide.",
    )
    summary = models.TextField(help_text="One or two plain sentences for the patient.")
    instructions = models.TextField(help_text="One step per line; the page numbers them.")
    cues = models.TextField(blank=True, help_text="Short coaching cues, one per line.")
    mistakes = models.TextField(blank=True, help_text="Common mistakes, one per line.")
    stop_if = models.TextField(help_text="When to stop, one per line, e.g. 'Sharp pain'.")
    equipment = models.CharField(max_length=120, blank=True, help_text="e.g. A chair and a band.")
    position = models.CharField(max_length=20, choices=Position)
    unilateral = models.BooleanField(default=False, help_text="Done one leg at a time.")
    image = models.ImageField(upload_to="exercises/", blank=True)
    image_alt = models.CharField(
        max_length=200, blank=True, help_text="What the picture shows, for screen readers."
    )
    default_sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    default_reps = models.CharField(
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^[0-9,\- ]*$", "Use digits, a range or a list.")],
        help_text="10, a range 6-8, or one number per set 12,10,8. Leave empty for a hold.",
    )
    default_hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_SECONDS)],
        help_text="Seconds to hold, e.g. 30.",
    )
    default_tempo = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_tempo],
        help_text="Lower-pause-lift-pause in seconds, e.g. 4-0-1-0 (X = fast).",
    )
    default_rest_seconds = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(MAX_REST_SECONDS)]
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the default dose comes from (for therapists)."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive exercises stay in old programs but can't be prescribed."
    )

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["concentric", "eccentric", "nerve_glide"]),
                name="exercises_exercise_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(position__in=["lying", "sitting", "standing", "kneeling"]),
                name="exercises_exercise_position_valid",
            ),
            models.CheckConstraint(
                condition=Q(default_sets__gte=1, default_sets__lte=MAX_SETS),
                name="exercises_exercise_sets_1_10",
            ),
            models.CheckConstraint(
                condition=Q(default_hold_seconds__isnull=True)
                | Q(default_hold_seconds__gte=1, default_hold_seconds__lte=MAX_HOLD_SECONDS),
                name="exercises_exercise_hold_1_300",
            ),
            models.CheckConstraint(
                condition=Q(
                    default_rest_seconds__gte=0, default_rest_seconds__lte=MAX_REST_SECONDS
                ),
                name="exercises_exercise_rest_0_600",
            ),
            models.CheckConstraint(
                condition=~Q(default_reps="") | Q(default_hold_seconds__isnull=False),
                name="exercises_exercise_reps_or_hold",
            ),
            models.CheckConstraint(
                condition=tempo_check("default_tempo"), name="exercises_exercise_tempo_0_10"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="exercises_exercise_name_set"),
            models.CheckConstraint(condition=~Q(slug=""), name="exercises_exercise_slug_set"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exercises:exercise_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def save_base(self, *args, **kwargs):
        # The patient text has a column per language (exercises/translation.py); the
        # untranslated column (name, summary, ...) is saved from the active language. Saving in
        # English keeps it English always, for reads that bypass modeltranslation, such as
        # SetLog.objects.values("exercise__name"). save() and loaddata both come through here.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return super().save_base(*args, **kwargs)

    def clean(self):
        if not self.default_reps and self.default_hold_seconds is None:
            raise ValidationError(
                {"default_reps": "Give a rep scheme or a hold time."}, code="reps_or_hold"
            )
        if self.default_reps and self.default_sets in range(1, MAX_SETS + 1):
            try:
                parse_reps(self.default_reps, self.default_sets)
            except ValidationError as error:
                raise ValidationError({"default_reps": error.messages}) from error

    @property
    def instruction_steps(self):
        return lines(self.instructions)

    @property
    def cue_list(self):
        return lines(self.cues)

    @property
    def mistake_list(self):
        return lines(self.mistakes)

    @property
    def stop_list(self):
        return lines(self.stop_if)
