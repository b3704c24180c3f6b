"""The default cache of a production server on one machine: SQLite files its workers share."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished
from django.test import override_settings

from accounts.tests.factories import UserFactory
from pagecache import rows
from pagecache.backends import DiskCache


@pytest.fixture
def folder(tmp_path):
    return str(tmp_path / "cache")


def test_what_one_worker_writes_or_deletes_the_next_one_reads(folder):
    """Page generations, sessions and users are shared through it: one process's invalidation
    must reach every other at once."""
    writer = DiskCache(folder, {})
    script = (
        "import sys; from pagecache.backends import DiskCache; "
        f"print(DiskCache({folder!r}, {{}}).get(sys.argv[1], 'missing'))"
    )

    def read_in_another_process(key):
        run = subprocess.run([sys.executable, "-c", script, key], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    writer.set("generation:catalog", "f00d", timeout=None)
    assert read_in_another_process("generation:catalog") == "f00d"
    writer.delete("generation:catalog")
    assert read_in_another_process("generation:catalog") == "missing"


def test_its_folder_is_made_for_the_shops_user_alone(folder):
    """Whoever can write the folder can run code as the shop (its values are pickles), and
    whoever can read it reads sessions and users."""
    previous = os.umask(0)  # the most open umask there is, for this test
    try:
        DiskCache(folder, {}).set("key", "value")
    finally:
        os.umask(previous)

    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o755])
def test_a_folder_others_may_write_or_read_is_refused(folder, mode):
    """An existing folder open to others may hold a pickle someone else planted: the shop
    refuses to start on it rather than read a single value."""
    DiskCache(folder, {}).set("generation:catalog", "f00d", timeout=None)
    os.chmod(folder, mode)

    with pytest.raises(ImproperlyConfigured, match="closed to everyone else"):
        DiskCache(folder, {})


def test_its_connections_outlive_the_request(folder, monkeypatch):
    """Django closes every cache when a request ends; this one keeps its SQLite connections,
    which cost more to open than every read a page makes."""
    cache = DiskCache(folder, {})
    cache.set("key", "value")
    opened = []
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **kw: opened.append(a) or connect(*a, **kw))

    cache.close()  # what Django does to every cache when a request ends

    assert cache.get("key") == "value"
    assert opened == []


@pytest.mark.django_db
def test_model_instances_are_stored(folder):
    """The shop keeps copies of users: values are pickled, as Django's own caches pickle them."""
    user = UserFactory(username="ada")
    cache = DiskCache(folder, {})

    cache.set("user", user)

    assert cache.get("user") == user and cache.get("user").username == "ada"


@pytest.mark.django_db
def test_row_copies_in_it_are_read_without_an_epoch(folder):
    """Its writes wait for the lock rather than being dropped, so a copy is current without the
    epoch a Redis cache needs (pagecache.rows)."""
    backend = {"BACKEND": "pagecache.backends.DiskCache", "LOCATION": folder}
    with override_settings(CACHES={"default": backend}):
        rows.set("checkout:cart-units:user:1", 3, timeout=60)
        request_finished.send(sender=None)  # the end of a request closes the caches

        assert rows.get("checkout:cart-units:user:1") == 3
        assert rows._epoch() == rows.EVERLASTING


def test_a_folder_cleared_while_the_shop_runs_is_shared_again_from_the_next_request(folder):
    """`rm -rf .cache` under a running shop: a worker must not go on with the removed files
    while a worker started since uses a new folder, or their invalidations would part."""
    worker = DiskCache(folder, {})
    worker.set("generation:catalog", "old", timeout=None)

    shutil.rmtree(folder)
    worker.close()  # the end of the request the folder went away in
    worker.set("generation:catalog", "new", timeout=None)

    started_since = DiskCache(folder, {})
    assert started_since.get("generation:catalog") == "new"
    started_since.set("generation:catalog", "newer", timeout=None)
    assert worker.get("generation:catalog") == "newer"
