from django.contrib import admin, messages

from .models import OutboundEmail
from .services import resend_emails


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox: what the shop sent, what it is still trying to send, and what failed."""

    list_display = ["subject", "to", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fieldsets = [
        (None, {"fields": ["to", "from_email", "subject", "status", "last_error"]}),
        (
            "Delivery",
            {"fields": ["key", "attempts", "next_attempt_at", "claimed_at", "sent_at", "task_id"]},
        ),
        ("Message", {"fields": ["text_body", "html_body"]}),
    ]

    def has_add_permission(self, request):
        # Mail is queued by the change that causes it (queue_email), never typed in by hand.
        return False

    def has_change_permission(self, request, obj=None):
        # Editing a record the worker may be sending would race it: the outbox is read-only,
        # and re-sending goes through the action, which takes the same care the worker does.
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("outbox.change_outboundemail")

    @admin.action(description="Re-send selected", permissions=["resend"])
    def resend(self, request, queryset):
        selected = queryset.count()
        queued = resend_emails(emails=queryset)
        left = selected - queued
        self.message_user(
            request,
            f"{queued} e-mail{'s' if queued != 1 else ''} queued to be sent again."
            + (f" {left} already sent or being sent were left alone." if left else ""),
            messages.SUCCESS if queued else messages.WARNING,
        )
