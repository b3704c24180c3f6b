"""Sessions in the database, read with their user in one statement (SESSION_ENGINE).

Who a request signs in is decided by the database alone, on every request. The shop once read
sessions and users from copies in the cache, to spare a signed-in page its queries; but a
cache can miss a write (a stalled Redis, a host cut off from it, a worker reloaded before it
noticed), and a missed delete brought a signed-out session back to life. A cache may make a
page faster; it must never decide who is looking at it.

So every request that carries a session cookie reads the session's row joined to its user's.
It is the one query a cached page makes, and the ORM spends several times longer building it
than the database spends answering it; it is written in SQL, once, and run through the ORM's
`raw()`, which makes the user as any query would (docs/benchmarks.md, "Sessions from the
database"). accounts.backends.SessionUserBackend takes that user: no query of its own.
"""

import functools
from contextvars import ContextVar

from asgiref.sync import sync_to_async
from django.contrib import auth
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from .models import Session, User

# The user row read with this request's session (None: no session, or nobody signed in).
_user_read_with_session: ContextVar = ContextVar("user_read_with_session", default=None)


def user_read_with_session(user_id):
    """The user with `user_id` if this request's session just read them, else None."""
    user = _user_read_with_session.get()
    return user if user is not None and str(user.pk) == str(user_id) else None


@functools.cache
def _session_with_its_user() -> str:
    """SELECT every column of the user (NULLs for a visitor's session) and the session's data,
    for a session key that has not expired."""
    quote = connection.ops.quote_name
    user_columns = ", ".join(f"u.{quote(f.column)}" for f in User._meta.concrete_fields)
    session, user = Session._meta, User._meta
    return (
        f"SELECT {user_columns}, s.{quote('session_data')} AS session_data "
        f"FROM {quote(session.db_table)} s "
        f"LEFT JOIN {quote(user.db_table)} u "
        f"ON u.{quote(user.pk.column)} = s.{quote(session.get_field('user').column)} "
        f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def load(self):
        # Every read sets the user, so no request is handed the one an earlier request read.
        _user_read_with_session.set(None)
        if not self._validate_session_key(self.session_key):
            self._session_key = None
            return {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = list(User.objects.raw(_session_with_its_user(), [self.session_key, now]))
        if not found:
            self._session_key = None
            return {}
        user = found[0]
        data = user.__dict__.pop("session_data")
        if user.pk is not None:
            _user_read_with_session.set(user)
        return self.decode(data)

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(auth.SESSION_KEY)
        return session

    # Django's async variant would read the session without its user.
    async def aload(self):
        return await sync_to_async(self.load)()
