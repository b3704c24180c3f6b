"""What the project package does when the framework sends a signal."""

from . import requestlog


def log_with_task_id(sender, task_result, **kwargs) -> None:
    """django.tasks' task_started: the lines logged until the task finishes carry its id."""
    requestlog.set_task_id(task_result.id)


def log_without_task_id(sender, task_result, **kwargs) -> None:
    """django.tasks' task_finished: connected after Django's own receiver, whose line ("Task
    id=… state=SUCCESSFUL") still carries the id; the lines after it do not."""
    requestlog.set_task_id(None)
