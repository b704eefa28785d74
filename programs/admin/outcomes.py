"""Outcome measures in the admin: therapists record LEFS, PSFS, AKE and SLR, or ask for a form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from programs import outcomes
from programs.admin.access import CareTeamAdmin
from programs.admin.filters import TherapistFilter
from programs.models import OutcomeMeasure, OutcomeRequest


class OutcomeTherapistFilter(TherapistFilter):
    field = "patient__therapist"
    patient_path = "patient"


def _choice(choices, label):
    return forms.TypedChoiceField(
        label=label, choices=[("", "—"), *choices], coerce=int, required=False, empty_value=None
    )


def _questionnaire_fields():
    """LEFS items 1-20 and PSFS rows 1-5, declared so the admin's fieldsets can name them."""
    fields = {
        f"lefs_{n}": _choice([(v, f"{v}: {t}") for v, t in outcomes.LEFS_ANSWERS], f"{n}. {text}")
        for n, text in enumerate(outcomes.LEFS_ITEMS, start=1)
    }
    for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1):
        fields[f"psfs_activity_{n}"] = forms.CharField(
            label=f"Activity {n}",
            max_length=120,
            required=False,
            help_text="In the patient's words, e.g. Running for the bus." if n == 1 else "",
        )
        fields[f"psfs_score_{n}"] = _choice([(v, str(v)) for v in range(11)], "Rating (0-10)")
    return fields


class _MeasureFormBase(forms.ModelForm):
    class Meta:
        model = OutcomeMeasure
        fields = ["patient", "kind", "date", "left_degrees", "right_degrees"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n, answer in enumerate(self.instance.answers or [], start=1):
            self.initial[f"lefs_{n}"] = answer
        for n, item in enumerate(self.instance.activities or [], start=1):
            self.initial[f"psfs_activity_{n}"] = item.get("activity")
            self.initial[f"psfs_score_{n}"] = item.get("score")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lefs = [data.get(f"lefs_{n}") for n in range(1, len(outcomes.LEFS_ITEMS) + 1)]
        rows = [
            ((data.get(f"psfs_activity_{n}") or "").strip(), data.get(f"psfs_score_{n}"))
            for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
        ]
        rows = [(activity, score) for activity, score in rows if activity or score is not None]
        if kind != outcomes.LEFS and any(v is not None for v in lefs):
            raise ValidationError("LEFS answers are filled in: choose LEFS, or clear them.")
        if kind != outcomes.PSFS and rows:
            raise ValidationError("PSFS activities are filled in: choose PSFS, or clear them.")
        # Model.clean, run next, says what is missing or out of range.
        self.instance.answers = lefs if kind == outcomes.LEFS else []
        self.instance.activities = [{"activity": a, "score": s} for a, s in rows]
        return data


OutcomeMeasureForm = type("OutcomeMeasureForm", (_MeasureFormBase,), _questionnaire_fields())


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(CareTeamAdmin, admin.ModelAdmin):
    form = OutcomeMeasureForm
    list_display = ["date", "patient", "kind", "result", "recorded_by"]
    list_filter = [OutcomeTherapistFilter, "kind", "date"]
    list_select_related = ["patient", "recorded_by"]
    search_fields = ["patient__name", "patient__email"]
    ordering = ["-date", "-created"]
    date_hierarchy = "date"
    autocomplete_fields = ["patient"]
    readonly_fields = ["score", "recorded_by", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["patient", "kind", "date"]}),
        (
            "AKE and SLR: degrees per leg",
            {
                "fields": [("left_degrees", "right_degrees")],
                "description": "AKE: hip held at 90°, the angle still short of a straight knee "
                "(0° = straight). SLR: hip flexion with the knee straight. One leg is enough.",
            },
        ),
        (
            "PSFS: up to 5 activities, each 0 (unable) to 10 (as before the problem)",
            {"fields": [(f"psfs_activity_{n}", f"psfs_score_{n}") for n in range(1, 6)]},
        ),
        (
            "LEFS: 20 activities, each 0 (extreme difficulty or unable) to 4 (no difficulty)",
            {"fields": [f"lefs_{n}" for n in range(1, 21)], "classes": ["collapse"]},
        ),
        ("Record", {"fields": ["score", "recorded_by", "created", "updated"]}),
    ]

    @admin.display(description="Result", ordering="score")
    def result(self, measure):
        return measure.score_text

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class ActivitiesField(forms.CharField):
    """A list of activity names, typed one per line."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 60})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]


class OutcomeRequestForm(forms.ModelForm):
    activities = ActivitiesField(
        required=False,
        help_text="PSFS only, one activity per line, up to 5, e.g. Running for the bus. Left "
        "empty: the patient's last PSFS activities, or the patient names them.",
    )

    class Meta:
        model = OutcomeRequest
        fields = ["patient", "kind", "activities", "message"]


class RequestStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for the patient"), ("answered", "Answered")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.pending()
        if self.value() == "answered":
            return queryset.filter(answered_at__isnull=False)
        return queryset


@admin.register(OutcomeRequest)
class OutcomeRequestAdmin(CareTeamAdmin, admin.ModelAdmin):
    """Ask a patient to fill in LEFS or PSFS on their phone; it shows on their Today page."""

    form = OutcomeRequestForm
    list_display = ["requested_at", "patient", "kind", "status", "requested_by", "answer"]
    list_filter = [OutcomeTherapistFilter, RequestStatusFilter, "kind"]
    list_select_related = ["patient", "requested_by", "measure"]
    search_fields = ["patient__name", "patient__email"]
    ordering = ["-requested_at"]
    autocomplete_fields = ["patient"]
    readonly_fields = ["requested_by", "requested_at", "answered_at", "answer"]
    actions = ["ask_again"]

    @admin.display(description="Status", ordering="answered_at")
    def status(self, outcome_request):
        return outcome_request.status_text

    @admin.display(description="Answer")
    def answer(self, outcome_request):
        measure = outcome_request.measure
        if measure is None:
            return "—"
        url = reverse("admin:programs_outcomemeasure_change", args=[measure.pk])
        return format_html('<a href="{}">{}</a>', url, measure.score_text)

    def has_change_permission(self, request, obj=None):
        # An answered request is a record; only a waiting one can still be reworded.
        return super().has_change_permission(request, obj) and not (obj and obj.is_answered)

    def save_model(self, request, obj, form, change):
        if obj.requested_by_id is None:
            obj.requested_by = request.user
        if obj.kind == outcomes.PSFS and not obj.activities:
            obj.activities = _last_psfs_activities(obj.patient_id)
        super().save_model(request, obj, form, change)

    @admin.action(description="Ask these patients to fill in the same form again")
    def ask_again(self, request, queryset):
        asked = skipped = 0
        pending = OutcomeRequest.objects.pending().filter(patient__in=queryset.values("patient"))
        waiting = set(pending.values_list("patient_id", "kind"))
        for old in queryset.select_related(None).only("patient", "kind"):
            if (old.patient_id, old.kind) in waiting:
                skipped += 1
                continue
            OutcomeRequest.objects.create(
                patient_id=old.patient_id,
                kind=old.kind,
                activities=_last_psfs_activities(old.patient_id)
                if old.kind == outcomes.PSFS
                else [],
                requested_by=request.user,
            )
            waiting.add((old.patient_id, old.kind))
            asked += 1
        self.message_user(request, f"Asked {asked} patient(s) again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} already had that form waiting: not asked twice.", messages.INFO
            )


def _last_psfs_activities(patient_id):
    """PSFS is re-rated on the same activities: the names from the patient's last PSFS."""
    last = (
        OutcomeMeasure.objects.filter(patient_id=patient_id, kind=outcomes.PSFS)
        .order_by("-date", "-created")
        .first()
    )
    return [item["activity"] for item in last.activities] if last else []


def outcomes_context(patient):
    """What templates/admin/programs/patient/_outcomes.html needs, in two queries."""
    measures = list(patient.outcome_measures.order_by("date", "created"))
    pending = list(patient.outcome_requests.pending().order_by("requested_at"))
    add = reverse("admin:programs_outcomemeasure_add")
    ask = reverse("admin:programs_outcomerequest_add")
    changelist = reverse("admin:programs_outcomemeasure_changelist")
    return {
        **outcomes.summary(measures),
        "pending": pending,
        "record_url": f"{add}?patient={patient.pk}",
        "ask_lefs_url": f"{ask}?patient={patient.pk}&kind={outcomes.LEFS}",
        "ask_psfs_url": f"{ask}?patient={patient.pk}&kind={outcomes.PSFS}",
        "list_url": f"{changelist}?patient__id__exact={patient.pk}&therapist=all",
        "lefs_mic": outcomes.LEFS_MIC,
        "psfs_mic": outcomes.PSFS_MIC,
    }
