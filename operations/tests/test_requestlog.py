"""One log line per request with an id a shopper can quote; the worker's lines carry the task."""

import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django_tasks_db.models import DBTaskResult

from outbox.services import queue_email
from outbox.tasks import deliver_email
from storefront.tests.processes import PRODUCTION, database_url, run_shop

GENERATED_ID = re.compile(r"[0-9a-f]{16}")


def _request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "storefront.requests"]


def test_each_request_is_logged_once_with_method_path_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="storefront.requests")

    client.get("/healthz?from=the-load-balancer")

    [line] = _request_lines(caplog)
    assert (line.method, line.path, line.status) == ("GET", "/healthz", 200)
    assert 0 <= line.duration_ms < 1000
    assert line.getMessage() == f"GET /healthz 200 {line.duration_ms:.1f} ms"


def test_each_request_gets_an_id_sent_back_in_a_header(client):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert GENERATED_ID.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize("incoming", ["5f0c2a91-d3e8-4b17-9a0e-2c6f1b7d8e90", "lb.7:abc_DEF"])
def test_a_sane_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", headers={"X-Request-ID": incoming})["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "has spaces", "line\nbreak", "<script>", "é", "x" * 129])
def test_an_incoming_request_id_that_is_not_sane_is_replaced(client, incoming):
    answered = client.get("/healthz", headers={"X-Request-ID": incoming})["X-Request-ID"]

    assert GENERATED_ID.fullmatch(answered)


@pytest.mark.urls("storefront.tests.failing_urls")
def test_the_500_page_shows_the_request_id_to_quote():
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_with_log_format_json_every_line_of_a_request_is_json_with_its_id(tmp_path):
    result = run_shop(
        """
        import django
        django.setup()
        from django.core.management import call_command
        from django.test import Client, override_settings
        call_command("collectstatic", interactive=False, verbosity=0)
        with override_settings(ROOT_URLCONF="storefront.tests.failing_urls"):
            Client(raise_request_exception=False).get(
                "/broken/", headers={"X-Request-ID": "quote-me-42"}
            )
        """,
        **PRODUCTION,
        LOG_FORMAT="json",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /broken/"
    assert error["request_id"] == "quote-me-42"
    assert "RuntimeError: the stock service is down" in error["exception"]
    request = next(line for line in lines if line["logger"] == "storefront.requests")
    assert {k: request[k] for k in ("method", "path", "status", "request_id")} == {
        "method": "GET",
        "path": "/broken/",
        "status": 500,
        "request_id": "quote-me-42",
    }
    assert isinstance(request["duration_ms"], float)


@pytest.mark.django_db(transaction=True)
def test_the_workers_lines_carry_the_id_of_the_task_they_belong_to(smtp_server):
    queue_email(
        key="parcel-1",
        to="ada@example.com",
        subject="Your parcel",
        template="operations/email/error_report",
        context={"summary": "A test mail", "report": "", "window_minutes": 60},
    )
    task_id = DBTaskResult.objects.get(task_path=deliver_email.module_path).id

    worker = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": smtp_server.url,
            "LOG_FORMAT": "json",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert worker.returncode == 0, worker.stderr
    lines = [json.loads(line) for line in worker.stderr.splitlines()]
    sent = next(line for line in lines if line["message"].startswith("Sent e-mail"))
    assert sent["task_id"] == str(task_id)
    assert all("task_id" not in line for line in lines if "Starting worker" in line["message"])
