"""A server error reaches ADMINS by mail: through the outbox, once per error per window."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.tasks.base import TaskResultStatus
from django.test import Client
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.urls("storefront.tests.failing_urls")]


@pytest.fixture
def clock(monkeypatch):
    """Stops time at the start of an error-mail window; `clock(seconds)` moves it that far on.

    Windows are fixed stretches of the clock (the first hour, the next...), so a test that
    started anywhere else could see one end within a few seconds.
    """
    window = settings.ERROR_MAIL_WINDOW.total_seconds()
    start = time.time() // window * window
    monkeypatch.setattr(time, "time", lambda: start)

    def move(seconds: float) -> None:
        monkeypatch.setattr(time, "time", lambda: start + seconds)

    return move


@pytest.fixture
def admins(settings):
    settings.ADMINS = ["ops@example.com"]
    settings.SERVER_EMAIL = "Storefront errors <errors@shop.example>"


def _fail(path: str = "/broken/"):
    return Client(raise_request_exception=False).get(path)


def _error_mails():
    return OutboundEmail.objects.filter(key__startswith="error.")


def test_a_server_error_queues_one_mail_to_the_admins_with_its_report(admins, clock):
    response = _fail()

    assert response.status_code == 500
    [report] = _error_mails()
    assert report.to == "ops@example.com"
    assert report.from_email == "Storefront errors <errors@shop.example>"
    assert report.subject == "[Storefront] ERROR: Internal Server Error: /broken/"
    assert f"Request id: {response['X-Request-ID']}" in report.text_body
    assert "RuntimeError" in report.text_body and "the stock service is down" in report.text_body
    assert mail.outbox == []  # nothing was sent from the request: the worker sends it


def test_the_same_error_again_within_the_window_queues_nothing(admins, clock):
    _fail()
    tasks = DBTaskResult.objects.count()

    for seconds in range(0, int(settings.ERROR_MAIL_WINDOW.total_seconds()), 180):
        clock(seconds)
        assert _fail().status_code == 500

    assert _error_mails().count() == 1
    assert DBTaskResult.objects.count() == tasks  # not even a delivery task


def test_the_same_error_is_mailed_again_in_the_next_window(admins, clock):
    _fail()
    clock(settings.ERROR_MAIL_WINDOW.total_seconds())
    _fail()

    assert _error_mails().count() == 2


def test_another_error_is_mailed_on_its_own(admins, clock):
    _fail("/broken/")
    _fail("/also-broken/")

    assert sorted(mail.subject for mail in _error_mails()) == [
        "[Storefront] ERROR: Internal Server Error: /also-broken/",
        "[Storefront] ERROR: Internal Server Error: /broken/",
    ]


def test_each_admin_gets_the_report(settings, clock):
    settings.ADMINS = ["ops@example.com", "dev@example.com"]

    _fail()

    assert sorted(_error_mails().values_list("to", flat=True)) == [
        "dev@example.com",
        "ops@example.com",
    ]


def test_no_mail_is_queued_while_admins_is_empty(settings):
    settings.ADMINS = []

    assert _fail().status_code == 500

    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_the_report_from_server_email(admins, smtp_server):
    _fail()

    run_worker()

    [received] = smtp_server.messages
    assert received["To"] == "ops@example.com"
    assert received["From"] == "Storefront errors <errors@shop.example>"
    assert received["Subject"] == "[Storefront] ERROR: Internal Server Error: /broken/"
