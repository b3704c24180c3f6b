"""What the page cache announces: its cache backend found Redis again after an outage."""

from django.dispatch import Signal

cache_reconnected = Signal()
"""Sent by `ResilientRedisCache` (sender: the backend class) in the first process call that
reaches Redis again after an outage. Arguments: `location` (the server URL),
`down_for` (seconds since the outage was noticed), `lost_writes` (True when a write or delete
was dropped meanwhile, so the cache may hold data that is no longer true). Receivers run in
the request that noticed; they must be quick and must not raise."""
