"""A session the database no longer holds is never honoured, whatever the cache missed.

The shop in production: gunicorn with several workers sharing a real Redis. Redis is frozen
(SIGSTOP) while a shopper signs out or changes her password, so the cache misses whatever was
written then; it runs again with everything it held before. The old cookie must then be
refused by every worker, and still after a reload of the server (`kill -HUP`).
"""

import time

import pytest
from django.conf import global_settings
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from loadtest.server import Session, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 3


def _account_answers(server, session: Session, requests: int = 4 * WORKERS) -> list[int]:
    """The account page's status for `session`, asked often enough to reach every worker.

    Each request is a new connection, and gunicorn's sync workers take turns accepting them.
    """
    return [session.get(server.url, reverse("account")).status for _ in range(requests)]


@pytest.fixture
def shop(production_server, redis_server, settings):
    # Passwords hashed as the server checks them (the tests' fast MD5 is the tests' own).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return production_server(workers=WORKERS, CACHE_URL=redis_server.url)


def _frozen_while(redis_server, change):
    """Run `change` with Redis frozen, then let Redis run again, its memory intact."""
    redis_server.freeze()
    try:
        answer = change()
        time.sleep(1)  # frozen for about as long as the probe froze it
    finally:
        redis_server.thaw()
    return answer


def test_a_session_signed_out_while_the_cache_stalled_stays_signed_out(shop, redis_server):
    UserFactory(username="ada")
    session = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    assert set(_account_answers(shop, session)) == {200}  # every worker has seen her

    signed_out = _frozen_while(redis_server, lambda: session.post(shop.url, reverse("logout")))

    assert signed_out.status == 302
    assert set(_account_answers(shop, session)) == {302}
    time.sleep(2)  # longer than a worker waits before it tries the cache again
    assert set(_account_answers(shop, session)) == {302}
    shop.reload()
    assert set(_account_answers(shop, session)) == {302}


def test_a_password_changed_while_the_cache_stalled_signs_other_sessions_out(shop, redis_server):
    UserFactory(username="ada")
    laptop = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    phone = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    assert set(_account_answers(shop, phone)) == {200}

    changed = _frozen_while(
        redis_server,
        lambda: laptop.post(
            shop.url,
            reverse("password_change"),
            {
                "old_password": DEFAULT_PASSWORD,
                "new_password1": "a-brand-new-passphrase",
                "new_password2": "a-brand-new-passphrase",
            },
        ),
    )

    assert changed.status == 302
    # The session that changed it stays signed in, under the new key it was given.
    laptop = laptop.after(changed)
    assert set(_account_answers(shop, laptop)) == {200}
    assert set(_account_answers(shop, phone)) == {302}
    time.sleep(2)
    assert set(_account_answers(shop, phone)) == {302}
    shop.reload()
    assert set(_account_answers(shop, phone)) == {302}
