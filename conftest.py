"""Project-wide pytest fixtures."""

import pytest
from django.core.cache import cache

# The outgoing-mail fixtures (a real SMTP server, the worker, a movable clock) and a Redis to
# stop and start, for every app.
pytest_plugins = ["storefront.tests.fixtures", "storefront.tests.cache_fixtures"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast password hashing, and static files that need no collectstatic manifest."""
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
