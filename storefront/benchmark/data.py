"""The benchmark database's rows: every app contributes its own volume.

An app that wants rows in the benchmark database has a `bench` module (`catalog/bench.py`)
with one function:

    def build(*, scale: float, facts: dict, stdout) -> dict

- `scale` is 1 for `make bench`, which means the volumes the issue asks for (10,000
  products, 200 customers, 20,000 orders, 50 posts with 20 comments each); the scale check's
  small database uses 0.01, tests smaller still. Each app decides how its volume scales.
- `facts` holds what the apps before it returned (INSTALLED_APPS order: accounts, catalog,
  checkout, blog), under their labels, so checkout finds accounts' shoppers.
- It fills the current database quickly (bulk_create; remember that bulk_create sends no
  post_save, so rows a receiver would add are made explicitly), writes one line to `stdout`,
  and returns a JSON-serialisable dict of what the endpoints need: paths, ids. Those become
  `facts[<app label>]`, read by the entries in storefront/benchmark/endpoints.py.

Apps without a `bench` module are skipped. The blog's is the next one: blog/bench.py adds 50
posts with 20 visible comments each and returns {"post_path": ..., "comment_path": ...},
which switches on the table's two blog rows: `post_path` is a post with its 20 comments,
`comment_path` where a signed-in reader's comment form posts to (best on another post, so the
measured one keeps its 20).
"""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

# The harness's own package is storefront.benchmark, so no app module is shadowed by it.
BUILDER_MODULE = "bench"


def builders():
    """(app label, bench module) for every installed app that has one, in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, BUILDER_MODULE):
            yield app_config.label, import_module(f"{app_config.name}.{BUILDER_MODULE}")


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
