"""Project-wide pytest fixtures."""

import pytest
from django.core.cache import cache

# For every app: the outgoing-mail fixtures (a real SMTP server, the worker, a movable clock),
# threads racing from a barrier, the small shop the bad-input tests send their cases to, a
# Redis to stop and start, the shop under gunicorn, the local Stripe (a real server on a free
# port) with a receiver for its webhooks, and the shop paying through it.
pytest_plugins = [
    "outbox.tests.fixtures",
    "storefront.tests.concurrency",
    "storefront.tests.badinput",
    "pagecache.tests.cache_fixtures",
    "storefront.tests.server_fixtures",
    "stripe_sandbox.testing",
    "payments.tests.fixtures",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, static files that need no collectstatic manifest, and uploads
    in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page cached by another test's data."""
    cache.clear()
    yield
    cache.clear()
