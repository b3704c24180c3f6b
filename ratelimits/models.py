from django.db import models


class RateCounter(models.Model):
    """How many events one subject had in the current window of one limit (ratelimits.services).

    In the database rather than the cache: a lockout must survive a cache outage (or a Redis
    restarted empty), and a row lock makes "count, then decide" atomic across every worker
    and machine.
    """

    # "<limit name>:<sha256 of the subject>": no username or address is stored in the clear.
    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    # The window closes here; past it the count starts again from nothing. Reaching the limit
    # moves it a whole window ahead: the wait.
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.window_ends:%Y-%m-%d %H:%M:%S}"
