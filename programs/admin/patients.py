"""Patients in the admin."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html

from programs.admin.filters import TherapistFilter
from programs.models import Patient, Program


class ProgramInline(admin.TabularInline):
    model = Program
    fields = ["title", "status", "start_date", "weeks"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Programs (start one from a template on the program list)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "therapist", "current_program", "signed_in"]
    list_filter = [TherapistFilter]
    list_select_related = ["therapist"]
    search_fields = ["name", "email"]
    ordering = ["name"]
    fields = ["name", "email", "therapist", "notes", "user", "created"]
    readonly_fields = ["user", "created"]
    inlines = [ProgramInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        active = Program.objects.active().order_by("-start_date")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("programs", active, to_attr="active_programs"))
        )

    def get_changeform_initial_data(self, request):
        return {"therapist": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Current program")
    def current_program(self, patient):
        if not patient.active_programs:
            return "—"
        program = patient.active_programs[0]
        url = reverse("admin:programs_program_change", args=[program.pk])
        return format_html('<a href="{}">{}</a>', url, program.title)

    @admin.display(description="Signed in", boolean=True)
    def signed_in(self, patient):
        return patient.user_id is not None
