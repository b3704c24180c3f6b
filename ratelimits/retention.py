"""What the limits let go of (operations.housekeeping runs it): counts of closed windows."""

from . import services


def prune(*, now) -> dict[str, int]:
    return {"rate_counters_deleted": services.prune()}
