"""The session store (accounts.sessions): its one SQL statement holds the guarantees the ORM's
query would, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts.models import Session, User
from accounts.sessions import SessionStore, user_read_with_session
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def _signed_in(client, user) -> Session:
    client.force_login(user)
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_session_row_names_the_user_it_signs_in(client):
    user = UserFactory()

    session = _signed_in(client, user)

    assert session.user == user


def test_the_user_read_with_the_session_is_the_user_the_orm_reads(client):
    user = UserFactory(username="ada", is_staff=True)
    user.last_login = timezone.now() - timedelta(days=3)
    user.save()
    session = _signed_in(client, user)

    store = SessionStore(session.session_key)
    assert store[SESSION_KEY] == str(user.pk)
    read = user_read_with_session(user.pk)

    expected = User.objects.get(pk=user.pk)
    assert {f.attname: getattr(read, f.attname) for f in User._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in User._meta.concrete_fields
    }
    assert read.is_staff is True and read.last_login.tzinfo is not None
    assert not hasattr(read, "session_data")


def test_an_expired_session_signs_nobody_in(client):
    session = _signed_in(client, UserFactory())
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_a_deleted_session_signs_nobody_in(client):
    session = _signed_in(client, UserFactory())
    Session.objects.filter(pk=session.pk).delete()

    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_deleting_a_user_ends_their_sessions(client):
    user = UserFactory()
    session = _signed_in(client, user)

    user.delete()

    assert not Session.objects.filter(pk=session.pk).exists()
    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_a_visitors_session_keeps_its_data_and_signs_nobody_in():
    store = SessionStore()
    store["cart_id"] = 7
    store.save()

    again = SessionStore(store.session_key)

    assert again["cart_id"] == 7
    assert user_read_with_session(None) is None
    assert Session.objects.get(pk=store.session_key).user is None


@pytest.mark.parametrize("key", ["", "short", "x" * 41, "'; DROP TABLE accounts_session; --"])
def test_a_made_up_session_key_reads_nothing(key):
    UserFactory()

    store = SessionStore(key)

    assert dict(store.items()) == {}
    assert Session.objects.count() == 0
    assert User.objects.count() == 1
