"""A used confirmation link is remembered for as long as the link could be followed, then let
go of by the housekeeping (alerts.retention)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import UsedConfirmationLink
from alerts.retention import prune
from alerts.services import CONFIRMATION_MAX_AGE

pytestmark = pytest.mark.django_db


def test_used_links_are_kept_while_they_could_be_followed_and_deleted_after():
    lifetime = timedelta(seconds=CONFIRMATION_MAX_AGE)
    now = timezone.now()
    alive = UsedConfirmationLink.objects.create(digest="a" * 64)
    gone = UsedConfirmationLink.objects.create(digest="b" * 64)
    UsedConfirmationLink.objects.filter(pk=alive.pk).update(used_at=now - lifetime / 2)
    UsedConfirmationLink.objects.filter(pk=gone.pk).update(used_at=now - lifetime * 2)

    assert prune(now=now) == {"used_links_deleted": 1}
    assert list(UsedConfirmationLink.objects.values_list("pk", flat=True)) == [alive.pk]
