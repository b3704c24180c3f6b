"""Test fixtures for the shop as it runs in production: gunicorn with several workers, DEBUG off.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py. The server reads
and writes the test database (use it with `@pytest.mark.django_db(transaction=True)`, so what
the test creates is committed and seen by the workers), and serves the static files collected
once per test session.
"""

import os
import secrets
import socket

import pytest

from loadtest.server import HOST, Server, manage, production_env

from .processes import database_url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files, collected (hashed and compressed) once for every server of the run."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "collectstatic", "STATIC_ROOT": str(root)}
    manage("collectstatic", "--noinput", "--verbosity=0", env=env)
    return root


@pytest.fixture
def production_server(collected_static, tmp_path):
    """Start the shop under gunicorn: `production_server(workers=3, CACHE_URL=...)`.

    Keyword arguments in capitals are the server's environment; the others are gunicorn's
    (see loadtest.server.Server). Every server started is stopped after the test.
    """
    started = []

    def start(*, workers: int = 2, **options) -> Server:
        env = production_env(
            database_url=database_url(),
            static_root=collected_static,
            secret_key=secrets.token_urlsafe(50),
        )
        env.update({name: value for name, value in options.items() if name.isupper()})
        server = Server(
            port=_free_port(),
            env=env,
            log_path=tmp_path / f"gunicorn-{len(started)}.log",
            workers=workers,
            **{name: value for name, value in options.items() if not name.isupper()},
        )
        started.append(server.__enter__())
        return server

    yield start
    for server in started:
        server.stop()
