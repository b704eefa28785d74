"""Sessions and sign-in links: read-only records of what happened."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.db.models import Count, Max, Q

from creekside import audit
from programs.admin.access import CareTeamAdmin
from programs.admin.filters import TherapistFilter
from programs.models import ExerciseSession, SetLog, SignalReview, SigninLink


class SessionTherapistFilter(TherapistFilter):
    field = "program__patient__therapist"
    patient_path = "program__patient"


class SetLogInline(admin.TabularInline):
    model = SetLog
    fields = [
        "position",
        "exercise",
        "set_number",
        "side",
        "dose_text",
        "status",
        "reps_done",
        "seconds_done",
        "load_used",
        "pain",
        "skip_reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exercise")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExerciseSession)
class SessionAdmin(CareTeamAdmin, admin.ModelAdmin):
    """What a patient did, against the target they did it against: never edited here."""

    patient_path = "program__patient"

    list_display = [
        *("date", "slot", "patient", "week", "finished", "pain_during", "effort"),
        *("above_ceiling", "stops", "next_morning_pain"),
    ]
    list_filter = [SessionTherapistFilter, "date"]
    list_select_related = ["program__patient"]
    search_fields = ["program__patient__name", "program__patient__email"]
    ordering = ["-date", "-slot"]
    date_hierarchy = "date"
    inlines = [SetLogInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        session = self.get_object(request, object_id)
        if session is not None:
            audit.record_read(request, session, f"a session of {session.program.patient}")
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            audit.record_read(request, request.user, "the session list")
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                stop_count=Count("set_logs", filter=Q(set_logs__status="stopped")),
                ceiling=Max("set_logs__pain_ceiling"),
            )
        )

    @admin.display(description="Stops", ordering="stop_count")
    def stops(self, session):
        return session.stop_count or "—"

    @admin.display(description="Pain above ceiling", boolean=True)
    def above_ceiling(self, session):
        if session.pain_during is None or session.ceiling is None:
            return None
        return session.pain_during > session.ceiling

    @admin.display(description="Patient", ordering="program__patient__name")
    def patient(self, session):
        return session.program.patient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SigninLink)
class SigninLinkAdmin(CareTeamAdmin, admin.ModelAdmin):
    """Links are made by SigninLink.issue, which shows the token once; never typed in here."""

    list_display = ["patient", "created", "expires", "used_at", "created_by"]
    list_select_related = ["patient", "created_by"]
    search_fields = ["patient__name", "patient__email"]
    ordering = ["-created"]
    readonly_fields = ["patient", "created", "created_by", "expires", "used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SignalReview)
class SignalReviewAdmin(CareTeamAdmin, admin.ModelAdmin):
    """Reviewed signals stay in the record: read here, never edited or deleted."""

    list_display = ["day", "patient", "kind", "reason", "reviewed_by", "reviewed_at"]
    list_filter = ["kind"]
    list_select_related = ["patient", "reviewed_by"]
    search_fields = ["patient__name", "reason", "note"]
    ordering = ["-reviewed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    """The audit trail: append-only; what was read or changed, by whom, from where."""

    list_display = [*LogEntryAdmin.list_display[:4], "event", "actor_label", "remote_addr"]

    @admin.display(description="Event")
    def event(self, entry):
        return (entry.additional_data or {}).get("event", "")

    @admin.display(description="Who")
    def actor_label(self, entry):
        return entry.actor or entry.actor_email or "—"

    def has_delete_permission(self, request, obj=None):
        return False
