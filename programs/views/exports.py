"""The patient's own record, to download."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from programs import exports
from programs.models import Patient
from programs.views.access import patient_page


@patient_page
@require_GET
def record_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format.")
    patient = get_object_or_404(Patient, user=request.user)
    return exports.export_response(patient, fmt)
