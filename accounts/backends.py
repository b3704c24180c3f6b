"""Signing in as Django does, with the signed-in user read from a copy in the cache.

Every request with a session asks the backend for its user (`get_user`). ModelBackend reads
the row each time: a query on every signed-in page, which otherwise needs none. This backend
keeps a copy in the cache (storefront.rowcache) and deletes it whenever the user is saved or
deleted (accounts.receivers.forget_cached_user), so a new password, a deactivation or a new
name is seen on the very next request. Django then checks the session against the copy as it
would against the row: a password changed elsewhere still signs other sessions out.

Signing in itself (`authenticate`) is ModelBackend's, reading the database.
"""

from django.contrib.auth.backends import ModelBackend

from storefront import rowcache

# A copy lives at most this long even if nothing changes, in seconds.
USER_COPY_TIMEOUT = 15 * 60


def user_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        key = user_key(user_id)
        user = rowcache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            rowcache.set(key, user, USER_COPY_TIMEOUT)
        # Checked on the copy too: a user deactivated since is refused, as by ModelBackend.
        return user if self.user_can_authenticate(user) else None
