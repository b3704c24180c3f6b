"""The shop's worker has a name of its own: no third-party command is shadowed."""

from django.core.management import get_commands, load_command_class
from django_tasks_db.management.commands.db_worker import Command as LibraryWorker


def test_db_worker_is_the_librarys_own_command():
    assert get_commands()["db_worker"] == "django_tasks_db"
    assert type(load_command_class("django_tasks_db", "db_worker")) is LibraryWorker


def test_run_worker_is_the_librarys_worker_with_the_outboxs_recovery():
    assert get_commands()["run_worker"] == "operations"
    assert isinstance(load_command_class("operations", "run_worker"), LibraryWorker)


def test_no_project_command_shares_a_name_with_another_apps():
    """A command found in two apps is silently taken from the first in INSTALLED_APPS."""
    from django.apps import apps
    from django.core.management import find_commands

    seen: dict[str, str] = {}
    for app_config in apps.get_app_configs():
        for name in find_commands(f"{app_config.path}/management"):
            assert name not in seen, f"{name} in both {seen[name]} and {app_config.name}"
            seen[name] = app_config.name
