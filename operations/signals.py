"""The events operations publishes. Operations does not know who listens.

Operations runs the shop's task worker (`manage.py run_worker`); apps with recurring work of
their own book it when a worker starts, as operations books its housekeeping.
"""

from django.dispatch import Signal

worker_started = Signal()
"""A task worker is starting (`run_worker`), before it runs any task.

sender: the `run_worker` command's class.
A receiver makes sure its recurring task waits in the queue (queued once, not once per
worker: see operations.housekeeping.schedule_housekeeping), so that it runs whichever worker
is up, then books its own next round.
"""
