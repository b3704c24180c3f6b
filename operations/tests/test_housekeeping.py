"""Housekeeping: abandoned tasks are closed, old finished tasks, sent mail and rate counters go."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import F
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.housekeeping import HOUSEKEEPING_INTERVAL, housekeep, housekeeping
from outbox.models import OutboundEmail
from outbox.services import CLAIM_LEASE, queue_email
from outbox.tasks import deliver_email
from outbox.tests.fixtures import kill_worker_mid_delivery, run_worker, time_passes
from ratelimits.models import RateCounter
from ratelimits.services import RateLimit

# The outbox's test message (mailtest/greeting) is the mail these tests queue.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mail_test_templates"),
]


def _mail(key: str) -> OutboundEmail:
    queue_email(
        key=key,
        to="ada@example.com",
        subject="Your parcel",
        template="mailtest/greeting",
        context={"name": "Ada", "parcel": key},
    )
    return OutboundEmail.objects.get(key=key)


def _age(queryset, field: str, delta: timedelta) -> None:
    queryset.update(**{field: F(field) - delta})


def test_sent_mail_and_finished_tasks_past_their_retention_are_deleted(smtp_server):
    old, recent = _mail("old"), _mail("recent")
    run_worker()
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 2
    _age(OutboundEmail.objects.filter(pk=old.pk), "sent_at", timedelta(days=91))
    _age(
        DBTaskResult.objects.filter(args_kwargs__args=[old.key]), "finished_at", timedelta(days=15)
    )

    counts = housekeeping()

    assert list(OutboundEmail.objects.values_list("key", flat=True)) == ["recent"]
    assert counts["sent_email_deleted"] == 1
    assert counts["finished_tasks_deleted"] == 1
    remaining = DBTaskResult.objects.filter(task_path=deliver_email.module_path)
    assert [task.args_kwargs["args"] for task in remaining] == [[recent.key]]


def test_failed_and_waiting_mail_is_kept_however_old(smtp_outage):
    failed, waiting = _mail("failed"), _mail("waiting")
    OutboundEmail.objects.filter(pk=failed.pk).update(status=OutboundEmail.Status.FAILED)
    _age(OutboundEmail.objects.all(), "created_at", timedelta(days=400))

    housekeeping()

    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {failed.pk, waiting.pk}


def test_the_retention_comes_from_the_settings(smtp_server, settings):
    settings.RETENTION = {**settings.RETENTION, "sent_email": timedelta(days=1)}
    _mail("yesterday")
    run_worker()
    _age(OutboundEmail.objects.all(), "sent_at", timedelta(days=2))

    assert housekeeping()["sent_email_deleted"] == 1


def test_closed_rate_limit_windows_are_deleted(settings):
    settings.RATE_LIMITS = {"test": {"limit": 3, "window": timedelta(minutes=1)}}
    RateLimit("test").record("old")
    old = RateCounter.objects.get()
    RateLimit("test").record("current")
    _age(RateCounter.objects.filter(pk=old.pk), "window_ends", timedelta(hours=1))

    housekeeping()

    assert RateCounter.objects.get().pk != old.pk


def test_a_task_left_running_by_a_killed_worker_is_closed_and_its_mail_sent_once(smtp_server):
    email = _mail("parcel")
    kill_worker_mid_delivery(smtp_server)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    assert running.count() == 1

    housekeeping()
    assert running.count() == 1  # not yet: it could still be working
    _age(running, "started_at", settings.TASK_RUNNING_TIMEOUT + timedelta(minutes=1))
    assert housekeeping()["abandoned_tasks"] == 1

    abandoned = DBTaskResult.objects.get(
        task_path=deliver_email.module_path,
        args_kwargs__args=[email.key],
        finished_at__isnull=False,
    )
    assert abandoned.status == TaskResultStatus.FAILED
    assert "worker stopped mid-task" in abandoned.traceback
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    time_passes(CLAIM_LEASE)
    run_worker()  # recovers the mail, whose task is gone, and sends it
    run_worker()
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_the_worker_books_one_recurring_round(smtp_server):
    run_worker()
    run_worker()

    waiting = DBTaskResult.objects.filter(
        task_path=housekeep.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + HOUSEKEEPING_INTERVAL - timedelta(minutes=1)

    time_passes(HOUSEKEEPING_INTERVAL)
    run_worker()  # the round runs, and books the next one

    assert (
        DBTaskResult.objects.filter(
            task_path=housekeep.module_path, status=TaskResultStatus.SUCCESSFUL
        ).count()
        == 1
    )
    assert waiting.count() == 1
