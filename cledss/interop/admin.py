from django.contrib import admin

from .models import CardFeedback


@admin.register(CardFeedback)
class CardFeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback is what EHRs reported, and nobody edits it by hand."""

    list_display = ["recorded_at", "service", "outcome", "override_system", "override_reason", "card"]
    list_filter = ["service", "outcome"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
