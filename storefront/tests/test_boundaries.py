"""Apps touch each other only through signals.

An app's outward contract is its `signals.py`: the signals it sends and what a receiver needs to
answer them (checkout's `OrderRefused`). So no app imports another app's modules except:

- `<app>.signals`, the contract itself;
- `outbox.services`, the one shared service: every app queues its mail there
  (`queue_email`), inside its own transaction. The outbox knows none of its callers;
- `ratelimits.services`, the abuse limits every form that can be flooded counts through
  (`RateLimit`). It knows none of its callers either.

The dashboard (`dashboard`) is the back office, as the admin is: it shows what every app holds
and changes it only through the service of the app that owns it, as each app's admin.py calls
its own. So it may also import `catalog.services` (a restock) and `checkout.pricing` (its demo
orders' amounts, worked out as checkout works them out), and nothing else of another app; no
app imports the dashboard.

Models of another app are reached through the app registry (`apps.get_model("checkout",
"Order")`) or a model label (`ForeignKey("catalog.Product")`), never imported. The project
package (`storefront`) sits beneath the apps: apps may use its site-wide web pieces (the page
cache, rate limits, HTTP helpers), and it imports no app. Tests and migrations are exempt: tests
build other apps' rows with their factories, and migrations name what they depend on.

Imports inside functions count as much as those at the top of a module.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ["accounts", "alerts", "blog", "catalog", "checkout", "outbox", "ratelimits"]
PROJECT = "storefront"
# Modules of one app that another app may import, besides `<app>.signals`.
SHARED = {"outbox.services", "ratelimits.services"}
BACK_OFFICE = "dashboard"
# What the back office may import besides: the services whose changes it offers, and pricing.
BACK_OFFICE_USES = {"catalog.services", "checkout.pricing"}


def _modules(package: str):
    root = Path(settings.BASE_DIR) / package
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _imported(path: Path):
    """(line, dotted module) for every absolute import in the file, nested ones included."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from checkout import signals` imports checkout.signals.
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _allowed(importer: str, module: str) -> bool:
    app = module.split(".")[0]
    if app == BACK_OFFICE:
        return importer == BACK_OFFICE
    if app not in APPS or app == importer:
        return True
    uses = BACK_OFFICE_USES if importer == BACK_OFFICE else set()
    return any(
        module == allowed or module.startswith(f"{allowed}.")
        for allowed in [f"{app}.signals", *SHARED, *uses]
    )


def _crossings(package: str) -> list[str]:
    root = Path(settings.BASE_DIR)
    return [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in _modules(package)
        for line, module in _imported(path)
        if not _allowed(package, module)
    ]


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_nothing_of_another_app_but_its_signals(app):
    assert _crossings(app) == []


def test_the_back_office_imports_of_other_apps_only_their_signals_and_the_services_it_offers():
    assert _crossings(BACK_OFFICE) == []


def test_the_project_package_imports_no_app():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in _modules(PROJECT)
        for line, module in _imported(path)
        if module.split(".")[0] in [*APPS, BACK_OFFICE]
    ]
    assert found == []


def test_the_rule_sees_a_crossing_through_models_and_one_inside_a_function(tmp_path):
    """The scanner itself: a model import is caught, nested or not; signals pass."""
    module = tmp_path / "receivers.py"
    module.write_text(
        "from checkout.signals import OrderRefused\n"
        "from outbox.services import queue_email\n"
        "def ready():\n"
        "    from checkout.models import Order\n"
        "    import blog.views\n"
    )

    crossings = [m for _, m in _imported(module) if not _allowed("catalog", m)]

    assert crossings == ["checkout.models.Order", "blog.views"]


def test_the_rule_lets_only_the_back_office_call_a_service_and_nobody_import_it(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from catalog.services import restock\n"
        "from checkout.services import order_ship\n"
        "from dashboard.queries import dashboard\n"
    )
    imported = [m for _, m in _imported(module)]

    assert [m for m in imported if not _allowed(BACK_OFFICE, m)] == ["checkout.services.order_ship"]
    assert [m for m in imported if not _allowed("blog", m)] == imported


def _module_name(path: Path) -> str:
    parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _load_time_imports(path: Path, known: set[str]) -> set[str]:
    """The first-party modules a module imports when it is loaded (top-level statements)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            # `from x import y`: y may be a module of x, or a name defined in x.
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        found |= {candidate for candidate in candidates if candidate in known}
    return found - {name}


def test_no_modules_import_each_other_when_loaded():
    """No import cycle: outbox.services reaches its tasks through a deferred import, because
    outbox.tasks imports the services at load time."""
    paths = [path for package in [PROJECT, *APPS, BACK_OFFICE] for path in _modules(package)]
    known = {_module_name(path) for path in paths}
    graph = {_module_name(path): _load_time_imports(path, known) for path in paths}

    def cycle_from(start, node, trail):
        for following in graph[node]:
            if following == start:
                return [*trail, following]
            if following not in trail and (
                found := cycle_from(start, following, [*trail, following])
            ):
                return found
        return None

    cycles = [cycle for name in graph if (cycle := cycle_from(name, name, [name]))]
    assert cycles == []
