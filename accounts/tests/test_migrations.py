"""Making usernames unique whatever their case stops, naming the accounts that already clash
and what to do about them, rather than failing on the database's IntegrityError."""

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0004_customer_country_code")]
AFTER = [("accounts", "0005_user_username_unique_ignoring_case")]


def migrate(targets):
    """Migrate to `targets`; return the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_usernames_differing_only_in_case_stop_the_migration_with_their_names():
    User = migrate(BEFORE).get_model("accounts", "User")
    try:
        users = {name: User.objects.create(username=name).pk for name in ("Casey", "ada", "casey")}
        users["CASEY"] = User.objects.create(username="CASEY").pk

        with pytest.raises(CommandError) as refused:
            migrate(AFTER)

        message = str(refused.value)
        clash = f"'Casey' (id {users['Casey']}), 'casey' (id {users['casey']}), 'CASEY' (id "
        assert clash in message
        assert "'ada'" not in message
        assert "Rename all but one account of each line" in message
        assert User.objects.count() == 4  # nothing was changed

        # Renamed as the message says, the migration goes through.
        User.objects.filter(pk=users["casey"]).update(username="casey-jones")
        User.objects.filter(pk=users["CASEY"]).update(username="casey-2")
        migrate(AFTER)
    finally:
        User.objects.all().delete()  # nothing in the way of putting the schema back
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
