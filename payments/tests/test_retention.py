"""Provider events are remembered while a delivery of them could still come, then let go of
(payments.retention)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import ProviderEvent
from payments.retention import EVENT_RECORD_LIFETIME, prune

pytestmark = pytest.mark.django_db


def test_events_older_than_any_delivery_of_them_are_deleted_and_recent_ones_kept():
    now = timezone.now()
    recent = ProviderEvent.objects.create(provider="stripe", event_id="evt_new", type="x")
    old = ProviderEvent.objects.create(provider="stripe", event_id="evt_old", type="x")
    ProviderEvent.objects.filter(pk=old.pk).update(
        received_at=now - EVENT_RECORD_LIFETIME - timedelta(minutes=1)
    )

    assert prune(now=now) == {"provider_events_deleted": 1}
    assert list(ProviderEvent.objects.values_list("pk", flat=True)) == [recent.pk]
