"""gunicorn's settings for the shop: what `make serve` runs and `make bench` measures.

gunicorn reads this file from the directory it starts in (the project's). WEB_CONCURRENCY
sets the number of workers, GUNICORN_THREADS the threads of each; why the defaults are what
they are is measured in docs/benchmarks.md ("Worker model").
"""

import os

# One sync worker per core. Measured on 2 cores (docs/benchmarks.md, "Worker model"): four
# workers or threaded ones confirmed 7% more orders on PostgreSQL, but added 14% to the cost
# of adding to the cart, and doubled the pages' p99 (four times the adds' on SQLite, whose
# writers queue for one lock).
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# With one thread a worker is gunicorn's sync worker; with more, its threaded worker.
worker_class = "gthread" if threads > 1 else "sync"
