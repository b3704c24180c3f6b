import os
import subprocess
import sys

import pytest
from django.conf import settings

from storefront.environment import caches_from_url, mailers_from_url


def test_smtp_url_becomes_the_default_mailer():
    mailers = mailers_from_url("smtp://shop:s3cret@127.0.0.1:2525")

    assert mailers["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": 2525,
            "username": "shop",
            "password": "s3cret",
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10,
        },
    }


def test_smtp_tls_url_turns_tls_on():
    assert mailers_from_url("smtp+tls://mail.example.com:587")["default"]["OPTIONS"]["use_tls"]


def test_console_and_file_urls():
    console = mailers_from_url("consolemail://")["default"]
    assert console == {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}

    file = mailers_from_url("filemail:///tmp/storefront-mail")["default"]
    assert file["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert file["OPTIONS"] == {"file_path": "/tmp/storefront-mail"}


def test_development_defaults_need_nothing_set():
    assert settings.MAILERS["default"]["BACKEND"].endswith(
        ("console.EmailBackend", "locmem.EmailBackend")
    )
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _settings_in_a_fresh_process(show="s.STORAGES['staticfiles']", **env):
    """Import the settings with exactly this environment, as a start would; print `show`."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "EMAIL_URL")}
    return subprocess.run(
        [sys.executable, "-c", f"import storefront.settings as s; print({show})"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


@pytest.mark.skipif(
    (settings.BASE_DIR / ".env").exists(), reason="a local .env may provide SECRET_KEY"
)
def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_a_fresh_process(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        # Mail a person can read in the terminal: development/mailers.py.
        ("true", "development.mailers.ConsoleEmailBackend"),
        # Django's own, so that `check --deploy` still names it as development-only.
        ("false", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_console_mail_is_printed_to_be_read_in_development(debug, backend):
    result = _settings_in_a_fresh_process(
        show="s.MAILERS['default']['BACKEND']", DEBUG=debug, SECRET_KEY="x" * 50
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_the_shops_time_zone_comes_from_the_environment():
    result = _settings_in_a_fresh_process(show="s.TIME_ZONE", TIME_ZONE="Europe/London")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Europe/London"


def test_production_serves_hashed_static_files_through_whitenoise():
    result = _settings_in_a_fresh_process(DEBUG="false", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in result.stdout


def test_each_log_line_is_written_once_in_development():
    """A line from Django's loggers used to come out twice: from the "django" logger's own
    console handler and again from the root's, which it propagates to."""
    code = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("Not Found: /no-such-page/")
logging.getLogger("django.tasks").info("Task id=1 path=shop.task state=SUCCESSFUL")
logging.getLogger("django_tasks_db").info("Starting worker worker_id=1")
"""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "storefront.settings", "DEBUG": "true"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /no-such-page/") == 1, lines
    assert lines.count("Task id=1 path=shop.task state=SUCCESSFUL") == 1, lines
    assert lines.count("Starting worker worker_id=1") == 1, lines


def test_a_diskcache_url_names_the_folder_of_the_shops_disk_cache():
    assert caches_from_url("diskcache:///srv/shop/cache") == {
        "default": {"BACKEND": "pagecache.backends.DiskCache", "LOCATION": "/srv/shop/cache"}
    }
    redis = caches_from_url("redis://127.0.0.1:6379/3")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_production_without_a_cache_url_shares_a_disk_cache_named_after_its_database():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "CACHE_URL": ""}
    cache = "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']"
    show = f"{cache}, s.BASE_DIR, sep='|'"

    started = _settings_in_a_fresh_process(
        show=show, DATABASE_URL="sqlite:////tmp/shop-a.sqlite3", **production
    )
    other = _settings_in_a_fresh_process(
        show=show, DATABASE_URL="sqlite:////tmp/shop-b.sqlite3", **production
    )

    assert started.returncode == 0, started.stderr
    backend, location, base = started.stdout.strip().split("|")
    assert backend == "pagecache.backends.DiskCache"
    assert location.startswith(f"{base}/.cache/")
    assert other.stdout.strip().split("|")[1] != location
