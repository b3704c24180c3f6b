"""gunicorn's settings for the shop: what `make serve` runs and `make bench` measures.

gunicorn reads this file from the directory it starts in (the project's). WEB_CONCURRENCY
sets the number of workers, GUNICORN_THREADS the threads of each; why the defaults are what
they are is measured in docs/benchmarks.md ("Worker model").
"""

import os

# Two workers per core: while one waits on the database (a confirmation's round trips and
# row locks), the other has the core.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# With one thread a worker is gunicorn's sync worker; with more, its threaded worker.
worker_class = "gthread" if threads > 1 else "sync"
