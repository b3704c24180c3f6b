"""The shop in a process of its own, started as a deployment would start it: for the tests of
what only a fresh start shows (settings read from the environment, the log's output, Sentry)."""

import os
import secrets
import subprocess
import sys
import textwrap

from django.conf import settings
from django.db import connection

# A production start on loopback: DEBUG off, plain HTTP, the test client's host.
PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "false",
    "ALLOWED_HOSTS": "testserver",
}


def run_shop(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh process of the shop's settings, with the environment this one has
    (the tests' own variables, PYTEST_VERSION, taken out) and `env`. The code sets Django up,
    or imports what does (storefront.wsgi)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "LOG_", "SENTRY_", "PYTEST_"))
        and name not in ("DEBUG", "SECRET_KEY")
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "storefront.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database_url() -> str:
    """The test database, as a DATABASE_URL another process can use (the test must commit:
    `django_db(transaction=True)`)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
