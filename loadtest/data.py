"""The benchmark database's rows: one volume module per app, in loadtest/volumes/.

Each module (`loadtest/volumes/catalog.py`, ...) has one function:

    def build(*, scale: float, facts: dict, stdout) -> dict

- `scale` is 1 for `make bench`, which means the full volumes (10,000 products, 200
  customers, 20,000 orders, 50 posts with 20 comments each, and the dashboard's orders up to
  100,000); the scale check's small database uses 0.01, tests smaller still. Each module
  decides how its volume scales.
- `facts` holds what the modules before it returned (VOLUMES order: accounts, catalog,
  checkout, payments, blog, dashboard), under their app labels, so checkout finds accounts'
  shoppers.
- It fills the current database quickly (bulk_create; remember that bulk_create sends no
  post_save, so rows a receiver would add are made explicitly), writes one line to `stdout`,
  and returns a JSON-serialisable dict of what the endpoints need: paths, ids. Those become
  `facts[<app label>]`, read by the entries in loadtest/endpoints.py.

The blog's, for example, adds 50 posts with 20 visible comments each and returns
{"post_path": ..., "comment_path": ...}: `post_path` is a post with its 20 comments,
`comment_path` where a signed-in reader's comment form posts to (another post, so the measured
one keeps its 20).

The volumes live here, not in the apps, so that no load-test code ships with the shop.
"""

from importlib import import_module
from pathlib import Path

from django.db import transaction

# App label → volume module, in the order they build: each may read the facts of those before.
VOLUMES = {
    "accounts": "loadtest.volumes.accounts",
    "catalog": "loadtest.volumes.catalog",
    "checkout": "loadtest.volumes.checkout",
    "payments": "loadtest.volumes.payments",
    "blog": "loadtest.volumes.blog",
    "dashboard": "loadtest.volumes.dashboard",
}


def builders():
    """(app label, volume module) for every app with a volume, in build order."""
    for label, module in VOLUMES.items():
        yield label, import_module(module)


def is_benchmark_database(name) -> bool:
    """Whether a database NAME is one the harness made: its name says "bench"."""
    # For SQLite the file's name only: a checkout in ~/bench/ holds no benchmark database.
    return "bench" in Path(str(name)).name


@transaction.atomic
def build(*, scale: float, stdout) -> dict:
    """Fill the current (empty, migrated) database; return every app's facts."""
    facts = {"scale": scale}
    for label, module in builders():
        facts[label] = module.build(scale=scale, facts=facts, stdout=stdout)
    return facts
