"""What payments lets go of (operations.housekeeping runs it): the record of a provider's event
once no delivery of it can come again. Stripe retries a webhook for three days and keeps its
events for thirty; a delivery older than five minutes is refused anyway (its signature's time),
so after thirty days the record guards nothing."""

from datetime import timedelta

from .models import ProviderEvent

EVENT_RECORD_LIFETIME = timedelta(days=30)


def prune(*, now) -> dict[str, int]:
    old, _ = ProviderEvent.objects.filter(received_at__lt=now - EVENT_RECORD_LIFETIME).delete()
    return {"provider_events_deleted": old}
