"""Sessions in the database, read with their user in one query (SESSION_ENGINE).

Who a request signs in is decided by the database alone, on every request. The shop once read
sessions and users from copies in the cache, to spare a signed-in page its queries; but a
cache can miss a write (a stalled Redis, a host cut off from it, a worker reloaded before it
noticed), and a missed delete brought a signed-out session back to life. A cache may make a
page faster; it must never decide who is looking at it.

The price is one query per request that carries a session cookie: the session's row joined to
its user's (docs/benchmarks.md, "Sessions from the database"). The user comes with it, so
accounts.backends.SessionUserBackend needs no query of its own.
"""

import logging
from contextvars import ContextVar

from asgiref.sync import sync_to_async
from django.contrib import auth
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from .models import Session

# The user row read with this request's session (None: no session, or nobody signed in).
_user_read_with_session: ContextVar = ContextVar("user_read_with_session", default=None)


def user_read_with_session(user_id):
    """The user with `user_id` if this request's session just read them, else None."""
    user = _user_read_with_session.get()
    return user if user is not None and str(user.pk) == str(user_id) else None


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        """Django's own, with the user joined to the session."""
        # Every read sets the user, so no request is handed the one an earlier request read.
        _user_read_with_session.set(None)
        try:
            session = Session.objects.select_related("user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (Session.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{type(error).__name__}").warning(str(error))
            self._session_key = None
            return None
        _user_read_with_session.set(session.user)
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(auth.SESSION_KEY)
        return session

    # Django's async variants would read the session without its user.
    async def aload(self):
        return await sync_to_async(self.load)()
