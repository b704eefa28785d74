"""Sessions and sign-in links: read-only records of what happened."""

from django.contrib import admin

from programs.models import ExerciseSession, SetLog, SigninLink


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
class SessionAdmin(admin.ModelAdmin):
    """What a patient did, against the target they did it against: never edited here."""

    list_display = ["date", "slot", "patient", "week", "finished", "pain_during", "effort"]
    list_filter = ["date"]
    list_select_related = ["program__patient"]
    search_fields = ["program__patient__name", "program__patient__email"]
    ordering = ["-date", "-slot"]
    date_hierarchy = "date"
    inlines = [SetLogInline]

    @admin.display(description="Patient", ordering="program__patient__name")
    def patient(self, session):
        return session.program.patient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SigninLink)
class SigninLinkAdmin(admin.ModelAdmin):
    """Links are made by SigninLink.issue, which shows the token once; never typed in here."""

    list_display = ["patient", "created", "expires", "used_at", "created_by"]
    list_select_related = ["patient", "created_by"]
    search_fields = ["patient__name", "patient__email"]
    ordering = ["-created"]
    readonly_fields = ["patient", "created", "created_by", "expires", "used_at"]

    def has_add_permission(self, request):
        return False
