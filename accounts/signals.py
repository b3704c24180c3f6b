"""The events accounts publishes. Accounts does not know who listens.

Sent inside the transaction that makes the change, after it is saved: a receiver that raises
undoes it, and a receiver that talks to the outside world queues its work in the same
transaction (the outbox) or after the commit.
"""

from django.dispatch import Signal

email_verified = Signal()
"""A user has just proved that an e-mail address is theirs, by following the link mailed to it.

sender: the user model.
user: the `User`, its row locked, `email_verified_at` set.
email: the address verified (`user.email`).
Sent once per address verified: following the link again sends nothing. Whatever belongs to
that address (subscriptions made with it, orders placed with it as a guest) may now be shown
to this user, and only now.
"""
