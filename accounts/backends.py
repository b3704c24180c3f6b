"""Signing in as Django does, with the signed-in user taken from the session's own query.

Every request with a session asks the backend for its user (`get_user`). ModelBackend reads
the row with a query of its own; accounts.sessions has just read it, joined to the session, so
this backend takes that one. Django then checks the session against it as against any row:
a password changed elsewhere signs other sessions out, a deactivated user is refused.

Signing in itself (`authenticate`) is ModelBackend's.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from .sessions import user_read_with_session


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_read_with_session(user_id)
        if user is None:  # a user asked for outside a request (say, a test's force_login)
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
