"""The soak test's own judgement: what it counts and what fails it (`make soak` runs it)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from loadtest.commands.soak import Command
from loadtest.soak import Mailbox
from outbox.tests.factories import OutboundEmailFactory

GOOD = {
    "server_errors": 0,
    "oversold_products": {},
    "negative_stock": [],
    "mail": {
        "comment": {"owed": 3, "delivered once": 3, "lost": 0, "repeated": 0},
        "order": {"owed": 5, "delivered once": 5, "lost": 0, "repeated": 0},
    },
}


def test_a_clean_run_passes():
    assert Command.problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"server_errors": 2}, "2 responses were 5xx"),
        ({"oversold_products": {7: 1}}, "stock does not add up"),
        ({"negative_stock": [7]}, "stock does not add up"),
        (
            {"mail": {"comment": {"owed": 3, "delivered once": 2, "lost": 1, "repeated": 0}}},
            "comment mail: 1 lost, 0 repeated",
        ),
        (
            {"mail": {"order": {"owed": 5, "delivered once": 4, "lost": 0, "repeated": 1}}},
            "order mail: 0 lost, 1 repeated",
        ),
    ],
)
def test_any_5xx_oversell_or_lost_or_repeated_mail_fails_the_soak(change, problem):
    problems = Command.problems(GOOD | change)

    assert any(problem in text for text in problems), problems


@pytest.mark.django_db
def test_the_mailbox_knows_each_outbox_mail_by_its_message_id():
    email = OutboundEmailFactory()
    raw = email.to_message().message().as_bytes()
    mailbox = Mailbox()

    # On a thread of its own: a browser test earlier in the run may leave an event loop
    # running on this one, as aiosmtpd's server thread would have none.
    with ThreadPoolExecutor(max_workers=1) as thread:
        for _ in range(2):
            thread.submit(
                asyncio.run, mailbox.handle_DATA(None, None, SimpleNamespace(content=raw))
            ).result()

    assert mailbox.received == {email.pk: 2}
