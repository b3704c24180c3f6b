"""The outbox's first migrations are squashed into one: databases that applied them go on, new
ones get the table from it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from outbox.models import OutboundEmail

SQUASH = ("outbox", "0001_squashed_0002_outboundemail_render_at_delivery")
# What the last release before the squash had applied.
REPLACED = ["0001_initial", "0002_outboundemail_render_at_delivery"]

pytestmark = pytest.mark.django_db


def test_a_database_that_applied_the_first_migrations_counts_the_squash_as_applied():
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="outbox").delete()
    for name in REPLACED:
        recorder.record_applied("outbox", name)

    loader = MigrationLoader(connection)
    executor = MigrationExecutor(connection)

    assert SQUASH in loader.applied_migrations
    # Only what came after the squash is left to apply.
    assert [
        migration.name
        for migration, _ in executor.migration_plan(loader.graph.leaf_nodes())
        if migration.app_label == "outbox"
    ] == ["0003_outboundemail_from_email"]


def test_a_new_database_gets_the_table_from_the_squash():
    recorder = MigrationRecorder(connection)

    assert recorder.migration_qs.filter(app="outbox", name=SQUASH[1]).exists()
    assert OutboundEmail._meta.db_table in connection.introspection.table_names()
