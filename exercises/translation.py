"""The exercise library's patient text, in English and Spanish (django-modeltranslation).

Each field below gets one column per language: name_en and name_es, summary_en and summary_es,
and so on. Reading exercise.summary gives the active language's text, or the English text when
the Spanish column is empty. English is required wherever the field is required; Spanish is
optional in the admin (it falls back to English), but every exercise in a library fixture must
carry both (untranslated() below, checked by exercises/management/commands/loaddata.py).
"""

from django.utils.translation import get_language_info
from modeltranslation import settings as mt_settings
from modeltranslation.translator import TranslationOptions, register

from exercises.models import Exercise, lines

PATIENT_TEXT_FIELDS = (
    "name",
    "summary",
    "instructions",
    "cues",
    "mistakes",
    "stop_if",
    "equipment",
    "image_alt",
)
# One item per line: a translation has as many lines as the English, one for each step,
# cue, mistake or stop rule.
LINE_FIELDS = ("instructions", "cues", "mistakes", "stop_if")


@register(Exercise)
class ExerciseTranslationOptions(TranslationOptions):
    fields = PATIENT_TEXT_FIELDS
    # name_en, summary_en, instructions_en and stop_if_en keep the model's blank=False.
    required_languages = ("en",)


def _language(code):
    return get_language_info(code)["name"]


def untranslated(exercise):
    """(field, message) for each piece of patient text not written in every language.

    Required text (name, summary, instructions, stop_if) must be there in each language;
    optional text in all languages or none; and line-by-line text has a line for each line.
    Missing English in a required field is the model's own error (name_en can't be blank).
    """
    default = mt_settings.DEFAULT_LANGUAGE
    others = [code for code in mt_settings.AVAILABLE_LANGUAGES if code != default]
    found = []
    for name in PATIENT_TEXT_FIELDS:
        required = not Exercise._meta.get_field(name).blank
        text = {
            code: (getattr(exercise, f"{name}_{code}") or "").strip() for code in (default, *others)
        }
        for code in (default, *others):
            if text[code] or (required and code == default):
                continue
            if required:
                found.append(
                    (
                        f"{name}_{code}",
                        f"the {_language(code)} text is missing: every exercise in the library "
                        "needs its patient text in "
                        + " and ".join(_language(c) for c in (default, *others)),
                    )
                )
            elif any(text.values()):
                written = next(c for c in (default, *others) if text[c])
                found.append(
                    (
                        f"{name}_{code}",
                        f"the {_language(written)} text is there but the {_language(code)} "
                        "is empty: write it in every language or leave it out in all",
                    )
                )
        if name in LINE_FIELDS and text[default]:
            want = len(lines(text[default]))
            for code in others:
                have = len(lines(text[code]))
                if text[code] and have != want:
                    found.append(
                        (
                            f"{name}_{code}",
                            f"the {_language(code)} has {have} line(s) and the "
                            f"{_language(default)} {want}: translate each line on its own line",
                        )
                    )
    return found
