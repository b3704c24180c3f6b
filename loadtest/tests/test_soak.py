"""The soak test's own judgement: what it counts and what fails it (`make soak` runs it)."""

import asyncio
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from loadtest.chaos import Trap, pid_of_connection
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


FAULTS = GOOD | {
    "requests": 27_000,
    "shoppers": 20,
    "connection_resets": 1,
    "faults_planned": 5,
    "resurrected_sessions": 0,
    "faults": [
        {"name": name, "survived": True, "detail": ""}
        for name in ("redis", "web", "task", "smtp", "frozen redis")
    ],
}


def test_the_last_line_sums_the_run_up():
    assert Command.summary(FAULTS) == (
        "soak: 27,000 requests, 0 5xx, 0 oversold, mail 8/8 exactly once, "
        "0 resurrected sessions, faults 5/5 survived (1 connection resets from the killed worker)"
    )
    assert Command.summary(GOOD | {"requests": 900}) == (
        "soak: 900 requests, 0 5xx, 0 oversold, mail 8/8 exactly once"
    )


def test_a_fault_not_survived_or_not_run_fails_the_soak():
    failed = [*FAULTS["faults"][:4], {"name": "smtp", "survived": False, "detail": "down"}]

    assert Command.problems(FAULTS) == []
    assert Command.problems(FAULTS | {"faults": failed}) == ["not survived: smtp (down)"]
    assert Command.problems(FAULTS | {"faults": FAULTS["faults"][:2]}) == ["only 2 of 5 faults ran"]
    assert Command.problems(FAULTS | {"connection_resets": 21}) == ["21 broken connections"]
    assert Command.problems(FAULTS | {"resurrected_sessions": 3}) == [
        "3 requests answered as signed in for sessions that had ended"
    ]


def test_the_chaos_finds_which_process_holds_a_connection():
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        try:
            peer_port = client.getsockname()[1]
            assert pid_of_connection(peer_port, [os.getpid()]) == os.getpid()
            assert pid_of_connection(peer_port, [os.getppid()]) is None
        finally:
            client.close()


def test_a_sprung_trap_refuses_the_message_it_held():
    trap = Trap()
    assert trap.waylay(1234) is False  # not armed: let through

    trap.arm()
    with ThreadPoolExecutor(max_workers=1) as thread:
        held = thread.submit(trap.waylay, 4321)
        assert trap.wait_for_catch(timeout=10)
        assert trap.peer_port == 4321
        trap.spring()
        assert held.result(timeout=10) is True
    assert trap.waylay(1) is False  # one catch per arming
