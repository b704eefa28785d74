"""Patient pages' words for a prescription's dose and an exercise's kind (creekside.dose_words)."""

from django import template
from django.utils.translation import gettext_lazy as _

from creekside import dose_words

register = template.Library()

KIND_WORDS = {
    "concentric": _("Strength (shortening)"),
    "eccentric": _("Strength (lengthening)"),
    "nerve_glide": _("Nerve glide"),
}


@register.filter
def patient_dose(prescription, frequency=True):
    """The dose as short sentences, one a line: `{{ p|patient_dose }}`, `{{ p|patient_dose:False }}`."""
    return dose_words.patient_dose(prescription, prescription.weekday_list, frequency=frequency)


@register.filter
def patient_frequency(prescription):
    p = prescription
    return dose_words.patient_frequency(p.frequency, p.frequency_count, p.weekday_list)


@register.filter
def kind_words(kind):
    """'Strength (lengthening)' for 'eccentric': the kind tag as patients read it."""
    return KIND_WORDS.get(str(kind), str(kind))
