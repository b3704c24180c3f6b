"""What alerts lets go of (operations.housekeeping runs it): the record of a used confirmation
link, once the link itself has expired and could not be followed again anyway."""

from datetime import timedelta

from .models import UsedConfirmationLink
from .services import CONFIRMATION_MAX_AGE


def prune(*, now) -> dict[str, int]:
    expired = now - timedelta(seconds=CONFIRMATION_MAX_AGE)
    used, _ = UsedConfirmationLink.objects.filter(used_at__lt=expired).delete()
    return {"used_links_deleted": used}
