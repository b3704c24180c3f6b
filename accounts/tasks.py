"""The accounts app's background work as Django Tasks: thin callers of `accounts.services`."""

from django.tasks import task

from . import services


@task
def send_password_reset(email: str) -> int:
    """Queue a password-reset mail to every account of `email`; returns how many (0 or 1).

    Run by the worker, so the request that asked for it takes the same path, in the same time,
    whether or not the address has an account.
    """
    return services.password_reset_send(email=email)
