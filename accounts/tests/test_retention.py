"""Expired sessions are let go of by the housekeeping (accounts.retention)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Session
from accounts.retention import prune
from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_deleted_and_current_ones_kept():
    expired, current = SessionStore(), SessionStore()
    expired.create()
    current.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert prune(now=timezone.now()) == {"expired_sessions_deleted": 1}
    assert list(Session.objects.values_list("pk", flat=True)) == [current.session_key]
