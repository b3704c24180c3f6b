"""The benchmark's own databases, next to the one DATABASE_URL names and never that one.

SQLite (the default): files under .bench/ (git-ignored). PostgreSQL: databases on the same
server named after DATABASE_URL's, `<name>_bench` and `<name>_bench_small`, created and dropped
through the server's maintenance database. The harness itself never opens them: the processes
that do (migrate, the data builder, gunicorn) get their URL as DATABASE_URL.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from psycopg import sql

SQLITE_DIR = Path(settings.BASE_DIR) / ".bench"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


class UnsupportedDatabase(ValueError):
    pass


@dataclass(frozen=True)
class BenchDatabase:
    engine: str  # "sqlite" or "postgresql"
    name: str  # the file path (SQLite) or the database name (PostgreSQL)
    url: str  # DATABASE_URL for the processes that use it

    @classmethod
    def beside(cls, database_url: str | None, suffix: str) -> "BenchDatabase":
        """The benchmark database `suffix` ("bench", "bench_small") for this DATABASE_URL."""
        parts = urlsplit(database_url or "sqlite://")
        if parts.scheme == "sqlite":
            path = SQLITE_DIR / f"{suffix}.sqlite3"
            return cls("sqlite", str(path), f"sqlite:///{path}")
        if parts.scheme in POSTGRES_SCHEMES:
            name = f"{parts.path.lstrip('/') or 'storefront'}_{suffix}"
            return cls("postgresql", name, urlunsplit(parts._replace(path=f"/{name}")))
        raise UnsupportedDatabase(
            f"make bench runs on SQLite or PostgreSQL, not {parts.scheme!r} databases."
        )

    @property
    def label(self) -> str:
        return ENGINES[self.engine]

    def _maintenance(self) -> psycopg.Connection:
        # The server's own `postgres` database: CREATE/DROP DATABASE cannot run inside the
        # database concerned, and autocommit because they cannot run in a transaction.
        url = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        return psycopg.connect(url, autocommit=True, connect_timeout=5)

    def create(self) -> None:
        """A new, empty database (a leftover from an interrupted run is dropped first)."""
        self.drop()
        if self.engine == "sqlite":
            SQLITE_DIR.mkdir(exist_ok=True)
            return  # migrate creates the file
        with self._maintenance() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        if self.engine == "sqlite":
            for leftover in ("", "-wal", "-shm", "-journal"):
                Path(self.name + leftover).unlink(missing_ok=True)
            return
        with self._maintenance() as connection:
            # FORCE (PostgreSQL 13+): a server that was killed may leave connections behind.
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def version(self) -> str:
        if self.engine == "sqlite":
            # The library the server's Python uses: the same interpreter as this one.
            return sqlite3.sqlite_version
        with self._maintenance() as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
