"""Care teams in the admin: a therapist reaches only their care teams' patients (404 otherwise)."""

from django.http import Http404

from programs.models import Patient


class CareTeamAdmin:
    """Limit a ModelAdmin to the rows of patients the user may see.

    `patient_path` is the lookup from the model to its Patient ("" for Patient itself). Rows of
    other patients are missing from lists, autocompletes and actions, and their URLs answer 404.
    """

    patient_path = "patient"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = Patient.objects.visible_to(request.user).values("pk")
        lookup = f"{self.patient_path}__in" if self.patient_path else "pk__in"
        return queryset.filter(**{lookup: visible})

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The stock admin redirects home with "doesn't exist"; another team's patient is a 404.
        raise Http404("No such record.")
