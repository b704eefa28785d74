from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import path
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin

from exercises.forms import ExerciseAdminForm
from exercises.models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(TranslationAdmin):
    """The library in the admin; each piece of patient text shows in English then Spanish.

    TranslationAdmin puts name [en] and name [es] (and so on) where the fieldsets below say
    name. English is required as before; an empty Spanish field shows the English to patients.
    The tabbed variant is not used: it loads jQuery UI from a CDN, which the CSP refuses.
    """

    form = ExerciseAdminForm
    list_display = [
        "thumbnail",
        "name",
        "kind",
        "position",
        "unilateral",
        "default_dose",
        "is_active",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["kind", "is_active", "position", "unilateral"]
    # The prescription picker searches these: "eccentric", "glide", "standing", "band".
    # "name" searches the active language's text (English in the admin); Spanish words too.
    search_fields = [
        *("name", "slug", "kind", "position", "equipment", "summary"),
        *("name_es", "equipment_es", "summary_es"),
    ]
    prepopulated_fields = {"slug": ("name",)}
    ordering = ["kind", "name"]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "position", "unilateral", "is_active"]}),
        (
            "For the patient",
            {
                "fields": ["summary", "instructions", "cues", "mistakes", "stop_if"],
                "description": "Each text in English [en] and Spanish [es], line for line. "
                "While a Spanish field is empty, Spanish readers see the English.",
            },
        ),
        ("Picture", {"fields": ["image", "image_alt", "preview"]}),
        (
            "Default dose",
            {
                "fields": [
                    "default_sets",
                    "default_reps",
                    "default_hold_seconds",
                    "default_tempo",
                    "default_rest_seconds",
                    "equipment",
                    "source",
                ]
            },
        ),
    ]

    def get_urls(self):
        view = ExerciseAutocompleteView.as_view(admin_site=self.admin_site)
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(view),
                name="exercises_exercise_autocomplete",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete for a new prescription offers only exercises that may be prescribed.
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") == "exercise":
            queryset = queryset.filter(is_active=True)
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" width="64" height="48">', obj.image.url)

    @admin.display(description="Preview")
    def preview(self, obj):
        if not obj.image:
            return "No picture yet."
        return format_html('<img src="{}" alt="{}" width="320">', obj.image.url, obj.image_alt)

    @admin.display(description="Default dose")
    def default_dose(self, obj):
        volume = obj.default_reps or f"{obj.default_hold_seconds} s hold"
        return f"{obj.default_sets} × {volume}"


class ExerciseAutocompleteView(AutocompleteJsonView):
    """The prescription picker's results: each exercise with its kind, picture and default dose.

    The admin JS (static/js/admin-prescriptions.js) shows the kind and picture in the choices and
    fills the row from the default dose when one is chosen.
    """

    def serialize_result(self, obj, to_field_name):
        return {
            **super().serialize_result(obj, to_field_name),
            "kind": obj.get_kind_display(),
            "position": obj.get_position_display(),
            "thumbnail": obj.image.url if obj.image else "",
            "one_leg": obj.unilateral,
            "defaults": {
                "sets": obj.default_sets,
                "reps": obj.default_reps,
                "hold_seconds": obj.default_hold_seconds,
                "tempo": obj.default_tempo,
                "rest_seconds": obj.default_rest_seconds,
            },
        }
