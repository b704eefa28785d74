from django.contrib import admin
from django.utils.html import format_html

from exercises.forms import ExerciseAdminForm
from exercises.models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
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
    search_fields = ["name", "slug", "summary", "equipment"]
    prepopulated_fields = {"slug": ("name",)}
    ordering = ["kind", "name"]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "position", "unilateral", "is_active"]}),
        ("For the patient", {"fields": ["summary", "instructions", "cues", "mistakes", "stop_if"]}),
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
