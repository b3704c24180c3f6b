"""What accounts lets go of (operations.housekeeping runs it): sessions that have expired,
which no request can use any more (Django's `clearsessions` does the same by hand)."""

from .models import Session


def prune(*, now) -> dict[str, int]:
    expired, _ = Session.objects.filter(expire_date__lt=now).delete()
    return {"expired_sessions_deleted": expired}
