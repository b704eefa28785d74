"""Patients in the admin."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from creekside import audit
from programs import exports, page_cache, page_versions
from programs.admin import hub
from programs.admin.access import CareTeamAdmin
from programs.admin.filters import TherapistFilter
from programs.admin.versions import VersionedAdmin
from programs.models import Patient, Program, ReminderSettings
from programs.views.history import plan_context


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

    def get_queryset(self, request):
        # Each row's name (Program.__str__) names the patient: one query, not one a plan.
        return super().get_queryset(request).select_related("patient")


@admin.register(Patient)
class PatientAdmin(VersionedAdmin, CareTeamAdmin, admin.ModelAdmin):
    patient_path = ""
    list_display = ["name", "email", "therapist", "current_program", "signed_in"]
    list_filter = [TherapistFilter]
    list_select_related = ["therapist"]
    search_fields = ["name", "email"]
    ordering = ["name"]
    fields = ["name", "email", "therapist", "care_team", "notes", "language", "time_zone"]
    fields += ["reminders", "user", "created"]
    filter_horizontal = ["care_team"]
    readonly_fields = ["reminders", "user", "created"]
    inlines = [ProgramInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        active = Program.objects.active().order_by("-start_date")
        return (
            super()
            .get_queryset(request)
            # The list names the therapist; the page shows the account and the reminders.
            .select_related("user", "reminder_settings", "therapist")
            .prefetch_related(Prefetch("programs", active, to_attr="active_programs"))
        )

    def get_object(self, request, object_id, from_field=None):
        """The patient once a request: change_view asks first (the hub), then Django's view."""
        cache = request.__dict__.setdefault("_patients_shown", {})
        key = (object_id, from_field)
        if key not in cache:
            cache[key] = super().get_object(request, object_id, from_field)
        return cache[key]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/signals/review/",
                wrap(require_POST(self.review_signal_view)),
                name="programs_patient_signal_review",
            ),
            path(
                "<int:pk>/handout/",
                wrap(self.handout_view),
                name="programs_patient_handout",
            ),
            path(
                "<int:pk>/export/<str:fmt>/",
                wrap(self.export_view),
                name="programs_patient_export",
            ),
            path(
                "<int:pk>/progression/<int:prescription_pk>/",
                wrap(self.progression_view),
                name="programs_patient_progression",
            ),
            *super().get_urls(),
        ]

    def _patient_to_change(self, request, pk):
        """The patient, if this user may change them (404 otherwise)."""
        patient = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, patient):
            raise PermissionDenied
        return patient

    def review_signal_view(self, request, pk):
        return hub.review_signal(self, request, self._patient_to_change(request, pk))

    def handout_view(self, request, pk):
        """The patient's printed plan, as they print it from My plan."""
        patient = get_object_or_404(self.get_queryset(request), pk=pk)
        shown = patient.programs.exclude(status="draft").order_by("-status_since", "-pk")
        program = patient.programs.filter(status="active").first() or shown.first()
        if program is None:
            raise Http404("This patient has no plan to print yet.")
        audit.record_read(request, program, f"the printed plan of {patient}")
        context = plan_context(program, timezone.localdate()) | {"staff_print": True}
        return render(request, "programs/program_detail.html", context)

    def export_view(self, request, pk, fmt):
        """The patient's whole record as a download (JSON, or a zip of CSV tables)."""
        patient = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, patient):
            raise PermissionDenied
        audit.record(request, patient, f"exported the record ({fmt})")
        return exports.export_response(patient, fmt, staff=True)

    def progression_view(self, request, pk, prescription_pk):
        patient = self._patient_to_change(request, pk)
        return hub.progression(self, request, patient, prescription_pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The hub, from the cache while nothing on it has changed (programs/page_cache.py)."""
        if not (page_cache.enabled(request) and str(object_id).isdigit()):
            return self._change_view(request, object_id, form_url, extra_context)
        pk = int(object_id)
        key = page_cache.page_key(request, "admin patient page", (pk,))
        keys = [page_versions.patient_key(pk), page_versions.LIBRARY, page_versions.STAFF]
        entry, response = page_cache.serve(
            request,
            key,
            keys,
            lambda: self._change_view(request, object_id, form_url, extra_context),
        )
        if entry is not None:  # kept for this account after the access check: a read all the same
            note = entry["note"]
            audit.record_read(
                request,
                Patient(pk=pk),
                "the patient page",
                role=note["role"],
                shown_as=note["name"],
            )
        return response

    def _change_view(self, request, object_id, form_url, extra_context):
        patient = self.get_object(request, object_id)
        if patient is not None and self.has_view_or_change_permission(request, patient):
            role = audit.role_of(request.user)
            audit.record_read(request, patient, "the patient page", role=role)
            setattr(request, page_cache.NOTE, {"name": str(patient), "role": role})
            extra_context = {
                **(extra_context or {}),
                **hub.hub_context(patient, timezone.localdate()),
                "review_form": hub.ReviewForm(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "therapist":  # therapists only: never the clinic-staff account
            kwargs["queryset"] = therapists()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "care_team":
            kwargs["queryset"] = therapists()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            audit.record_read(request, request.user, "the patient list")
        return super().changelist_view(request, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if not {"_continue", "_addanother", "_popup"} & set(request.POST):
            templates = reverse("admin:programs_program_changelist") + "?kind=templates"
            self.message_user(
                request,
                format_html(
                    'Next: <a href="{}">start a plan for {}</a>: tick a template, then choose '
                    "“Start for a patient…”.",
                    templates,
                    obj.name,
                ),
                messages.INFO,
            )
        return response

    def get_changeform_initial_data(self, request):
        return {"therapist": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Current program")
    def current_program(self, patient):
        if not patient.active_programs:
            return "—"
        program = patient.active_programs[0]
        url = reverse("admin:programs_program_change", args=[program.pk])
        return format_html('<a href="{}">{}</a>', url, program.title)

    @admin.display(description="Reminders (the patient's choice)")
    def reminders(self, patient):
        try:
            choice = patient.reminder_settings  # select_related by get_queryset
        except ReminderSettings.DoesNotExist:
            choice = None
        return choice.summary if choice else "Off: the patient hasn't turned them on"

    @admin.display(description="Signed in", boolean=True)
    def signed_in(self, patient):
        return patient.user_id is not None


def therapists():
    return (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True, groups__name="Therapists")
        .distinct()
        .order_by("first_name", "username")
    )
