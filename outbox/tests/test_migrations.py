"""The outbox moved out of the project package: mail stored and queued before the upgrade
survives the migration and is still delivered."""

import signal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.tasks import deliver_email

# Real commits: migrations run their own transactions, and the worker closes connections.
pytestmark = pytest.mark.django_db(transaction=True)

# The last state in which the outbox lived in the project package.
BEFORE_THE_MOVE = [("storefront", "0001_initial"), ("outbox", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the executor's view of what is applied is now stale
    return executor


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def _run_the_librarys_worker() -> None:
    """django-tasks-db's own `db_worker`, without the outbox's recovery: only a task whose
    stored path still leads to the task can deliver the mail."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def before_the_move():
    """The database as the previous release left it; put back to the latest state afterwards."""
    executor = _migrate(BEFORE_THE_MOVE)
    yield executor.loader.project_state(BEFORE_THE_MOVE[0]).apps
    _migrate_to_latest()


def test_mail_queued_before_the_move_is_kept_and_still_delivered(before_the_move, smtp_server):
    old_email = before_the_move.get_model("storefront", "OutboundEmail")
    waiting = old_email.objects.create(
        key="order-7-confirmed",
        to="ada@example.com",
        subject="Order 7 confirmed",
        text_body="Thank you, Ada.",
        html_body="<p>Thank you, Ada.</p>",
    )
    sent = old_email.objects.create(
        key="order-6-confirmed",
        to="ada@example.com",
        subject="Order 6 confirmed",
        text_body="Thank you.",
        html_body="<p>Thank you.</p>",
        status="sent",
        attempts=1,
        sent_at=waiting.created_at,
    )
    # Its delivery task, queued by the old code under the old module's path.
    queued = deliver_email.enqueue(waiting.pk)
    DBTaskResult.objects.filter(pk=queued.id).update(task_path="storefront.tasks.deliver_email")
    old_email.objects.filter(pk=waiting.pk).update(task_id=queued.id)
    permission = Permission.objects.get(
        content_type__app_label="storefront", codename="change_outboundemail"
    )

    _migrate_to_latest()

    assert list(OutboundEmail.objects.order_by("pk").values_list("pk", "key", "status")) == [
        (waiting.pk, "order-7-confirmed", "pending"),
        (sent.pk, "order-6-confirmed", "sent"),
    ]
    task = DBTaskResult.objects.get(pk=queued.id)
    assert (task.task_path, task.status) == ("outbox.tasks.deliver_email", TaskResultStatus.READY)
    # Staff who could re-send mail still can: the permission moved with its content type.
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "outbox"

    _run_the_librarys_worker()

    assert [message["Subject"] for message in smtp_server.messages] == ["Order 7 confirmed"]
    assert OutboundEmail.objects.get(pk=waiting.pk).status == OutboundEmail.Status.SENT
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL


def test_the_move_can_be_undone_without_losing_mail(before_the_move):
    _migrate_to_latest()
    email = OutboundEmail.objects.create(
        key="order-8-confirmed",
        to="bo@example.com",
        subject="Order 8",
        text_body="-",
        html_body="-",
    )
    queued = deliver_email.enqueue(email.pk)

    apps = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[0]).apps

    assert apps.get_model("storefront", "OutboundEmail").objects.get().key == "order-8-confirmed"
    assert DBTaskResult.objects.get(pk=queued.id).task_path == "storefront.tasks.deliver_email"
