"""What the outbox lets go of (operations.housekeeping runs it): sent mail past its retention.
Failed and unfinished mail stays for staff to see and re-send, however old."""

from django.conf import settings

from .models import OutboundEmail


def prune(*, now) -> dict[str, int]:
    sent, _ = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENT, sent_at__lt=now - settings.RETENTION["sent_email"]
    ).delete()
    return {"sent_email_deleted": sent}
