"""Password reset: one path for every address, the mail through the outbox, the link only in
the message that is delivered."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker, time_passes

from .factories import UserFactory

# The worker closes its database connection between tasks, as in production: real commits.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-brand-new-password-2026"
RESET_PATH = re.compile(r"/accounts/password/reset/[\w-]+/[\w-]+/")


def _ask(client: Client, email: str, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+", text).group()


def test_the_request_only_queues_a_task_whether_or_not_the_address_has_an_account(client):
    UserFactory(email="ada@example.com")

    known = _ask(client, "ADA@example.com")
    unknown = _ask(client, "nobody@example.com")

    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    # The same work for both: a task each, no mail, no outbox row, during the request.
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert [task.task_path for task in tasks] == ["accounts.tasks.send_password_reset"] * 2
    assert [task.args_kwargs["args"] for task in tasks] == [
        ["ADA@example.com"],
        ["nobody@example.com"],
    ]
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_the_delivered_link_opens_the_set_password_page_and_sets_the_password(
    client, settings, smtp_server
):
    settings.SITE_URL = "https://shop.example.com"
    user = UserFactory(username="ada", email="ada@example.com")
    _ask(client, "ADA@example.com", HTTP_HOST="127.0.0.1")

    run_worker()  # the request's task queues the mail
    run_worker()  # ... which is delivered

    [message] = smtp_server.messages
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reset your Storefront password"
    link = _link(message)
    assert link.startswith("https://shop.example.com/accounts/password/reset/")
    assert RESET_PATH.search(message.get_body(("html",)).get_content())
    form_page = client.get(link.removeprefix("https://shop.example.com"), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_nothing_staff_can_read_holds_the_link(admin_client, client, smtp_server):
    UserFactory(email="ada@example.com")
    _ask(client, "ada@example.com")
    run_worker()
    run_worker()
    [message] = smtp_server.messages
    token_path = RESET_PATH.search(_link(message)).group()

    row = OutboundEmail.objects.get()
    stored = " ".join(str(value) for value in OutboundEmail.objects.values().get().values())
    assert not RESET_PATH.search(stored)
    assert token_path not in stored
    admin_page = admin_client.get(
        reverse("admin:outbox_outboundemail_change", args=[row.pk])
    ).content.decode()
    assert not RESET_PATH.search(admin_page)
    assert "one-time link" in admin_page
    assert site.is_registered(OutboundEmail)


def test_an_unknown_address_sends_nothing(client, smtp_server):
    _ask(client, "nobody@example.com")

    run_worker()
    run_worker()

    assert smtp_server.messages == []
    assert not OutboundEmail.objects.exists()


def test_a_mail_server_outage_delays_the_mail_and_its_link_still_works(client, smtp_outage):
    UserFactory(email="ada@example.com")
    _ask(client, "ada@example.com")
    run_worker()
    run_worker()  # refused: the server is down
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.PENDING

    smtp_outage.start()
    time_passes(timedelta(minutes=2))
    run_worker()

    [message] = smtp_outage.messages
    path = RESET_PATH.search(_link(message)).group()
    assert client.get(path, follow=True).context["validlink"]


def test_an_inactive_account_gets_no_mail(client, smtp_server):
    UserFactory(email="ada@example.com", is_active=False)
    _ask(client, "ada@example.com")

    run_worker()
    run_worker()

    assert smtp_server.messages == []
    assert User.objects.count() == 1


def test_the_reset_link_printed_by_the_development_mailer_opens_the_set_password_page(
    client, settings, capsys
):
    """What a newcomer does after `make run`: copy the link from the terminal, open it."""
    settings.MAILERS = {"default": {"BACKEND": "development.mailers.ConsoleEmailBackend"}}
    UserFactory(username="ada", email="ada@example.com")
    _ask(client, "ada@example.com")
    capsys.readouterr()

    run_worker()  # the request's task queues the mail
    run_worker()  # ... which the development mailer prints

    printed = capsys.readouterr().out
    assert "Subject: Reset your Storefront password" in printed
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/\S*)", printed).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    assert 'name="new_password1"' in page.content.decode()
