"""Changelist filters: a therapist's own patients (their care teams) first."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from programs.models import Patient


class TherapistFilter(admin.SimpleListFilter):
    """Show the signed-in therapist's care teams' patients unless another choice is made."""

    title = "therapist"
    parameter_name = "therapist"
    mine_label = "My patients"
    field = "therapist"  # the lead therapist, for the other choices
    patient_path = ""  # the lookup from the listed model to its Patient

    def mine(self, request, queryset):
        mine = Patient.objects.cared_for_by(request.user).values("pk")
        lookup = f"{self.patient_path}__in" if self.patient_path else "pk__in"
        return queryset.filter(**{lookup: mine})

    def lookups(self, request, model_admin):
        others = (
            get_user_model()
            .objects.filter(patients__isnull=False)
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("first_name", "username")
        )
        return [("all", "All therapists")] + [
            (str(user.pk), user.get_full_name() or user.username) for user in others
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.mine_label,
        }
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return self.mine(request, queryset)
        if value == "all":
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.field}_id": value})


class ProgramTherapistFilter(TherapistFilter):
    """My patients' plans and the shared templates, unless another choice is made."""

    mine_label = "My patients and templates"
    field = "patient__therapist"
    patient_path = "patient"

    def mine(self, request, queryset):
        mine = Patient.objects.cared_for_by(request.user).values("pk")
        return queryset.filter(Q(patient__in=mine) | Q(patient__isnull=True))


class TemplateFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("plans", "Patients' plans"), ("templates", "Protocol templates")]

    def queryset(self, request, queryset):
        if self.value() == "plans":
            return queryset.plans()
        if self.value() == "templates":
            return queryset.templates()
        return queryset
