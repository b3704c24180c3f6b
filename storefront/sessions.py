"""Sessions kept in the database and read from a copy in the cache (SESSION_ENGINE).

Django's `cached_db` engine does this, but trusts whatever the cache hands back: a sign-out
made while Redis was away deletes the database row, the cache's delete is lost, and when Redis
returns with its old contents the signed-out cookie is signed in again. This engine is
`cached_db` with its copies kept through storefront.rowcache instead, so a copy made before an
outage is never read after it: the session is read from the database again.

Writes go to the database first, as in `cached_db`: a cache that is down costs the next
request a query, never a lost session.
"""

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

from . import rowcache


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = rowcache.get(self.cache_key)
        if data is None:
            row = self._get_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            rowcache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        rowcache.set(self.cache_key, self._session, self.get_expiry_age())

    # cached_db's own async variants would read and write copies without the epoch.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def asave(self, must_create=False):
        await sync_to_async(self.save)(must_create)

    # delete() and flush() are cached_db's: they delete the copy under the same key.
