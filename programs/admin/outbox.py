"""The outbox in the admin: what was emailed when, and what failed. Read-only, superusers only."""

from django.contrib import admin

from programs.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "to", "status", "attempts", "sent", "last_error"]
    list_filter = [
        "kind",
        ("sent", admin.EmptyFieldListFilter),
        ("failed", admin.EmptyFieldListFilter),
    ]
    search_fields = ["to", "key"]
    ordering = ["-created"]
    fields = [
        "key",
        "kind",
        "patient",
        "to",
        "subject",
        "created",
        "next_attempt",
        "attempts",
        "last_error",
        "sent",
        "failed",
        "stale_after",
    ]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
