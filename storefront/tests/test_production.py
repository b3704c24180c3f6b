"""The production configuration: security headers, error pages, health checks, outages."""

import json
import os
import secrets
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "shop.example.com",
    "EMAIL_URL": "smtp://mail.example.com:587",
    "STRIPE_SECRET_KEY": "sk_live_" + secrets.token_hex(12),
    "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(16),
    "BANK_IBAN": "GB33 BUKB 2020 1555 5555 55",
    "BANK_BIC": "BUKBGB22",
}


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh process with exactly this environment, as a deployment would."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**clean, "DJANGO_SETTINGS_MODULE": "storefront.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = run_django(
        """
        import django
        django.setup()
        from django.core.management import call_command
        call_command("check", deploy=True, fail_level="WARNING")
        print("clean")
        """,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "clean" in result.stdout


def _check_deploy(**env) -> subprocess.CompletedProcess:
    """`manage.py check --deploy`, as `make serve` runs it, with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_readme_command_for_production_on_one_machine_passes_check_deploy(tmp_path):
    """README, Production: plain HTTP on loopback, mail kept in files instead of sent, test
    payments (the sandbox) as in development."""
    result = _check_deploy(
        DEBUG="false",
        HTTPS="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        EMAIL_URL=f"filemail://{tmp_path / 'mail'}",
        PAYMENTS_TRIAL="true",
    )

    assert result.returncode == 0, result.stderr
    assert "ERRORS" not in result.stderr


def test_check_deploy_still_refuses_the_console_mailer():
    result = _check_deploy(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), EMAIL_URL="consolemail://"
    )

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get(reverse("catalog:product_list"))

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_healthz_also_answers_head(client):
    assert client.head(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_readyz_reports_the_database_and_the_task_queue(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "task_queue": "ok",
        "cache": "ok",
        "status": "ok",
    }


@pytest.mark.django_db
def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert b"Back to the shop" in response.content


@pytest.mark.django_db
def test_a_post_without_csrf_token_gets_a_friendly_403():
    response = Client(enforce_csrf_checks=True).post(reverse("logout"))

    assert response.status_code == 403
    assert b"Your form expired" in response.content


def test_a_database_outage_is_a_503_page_and_readyz_says_why(tmp_path):
    """A real outage: the database server is unreachable (nothing listens on the port)."""
    result = run_django(
        """
        import json
        import django
        django.setup()
        from django.core.management import call_command
        from django.test import Client
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client(raise_request_exception=False)
        home = client.get("/")
        ready = client.get("/readyz")
        print(json.dumps({
            "home": home.status_code,
            "home_text": home.content.decode(),
            "retry_after": home.get("Retry-After"),
            "ready": ready.status_code,
            "ready_json": ready.json(),
        }))
        """,
        **{
            **PRODUCTION,
            "ALLOWED_HOSTS": "testserver",
            "HTTPS": "false",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
            "STATIC_ROOT": str(tmp_path),
            # An empty cache: a page cached earlier would (rightly) still be served.
            "CACHE_URL": "locmemcache://outage-test",
        },
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["home"] == 503
    assert "The shop is back in a moment" in outcome["home_text"]
    assert "Traceback" not in outcome["home_text"]
    assert outcome["retry_after"] == "30"
    assert outcome["ready"] == 503
    assert outcome["ready_json"]["database"].startswith("unavailable")


def test_a_request_for_an_unknown_host_is_a_friendly_400_not_a_500():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert b"We could not understand that request" in response.content
