"""Apps touch each other only through signals.

An app's outward contract is its `signals.py`: the signals it sends and what a receiver needs to
answer them (checkout's `OrderRefused`). So no app imports another app's modules except:

- `<app>.signals`, the contract itself;
- `outbox.services`, the one shared service: every app queues its mail there
  (`queue_email`), inside its own transaction. The outbox knows none of its callers;
- `ratelimits.services`, the abuse limits every form that can be flooded counts through
  (`RateLimit`). It knows none of its callers either;
- `pagecache.pages` and `pagecache.rows`, the page cache: an app caches its pages
  (`Pages`, `cached_page`) and copies of its rows through them, knowing nothing of the others;
- `money.formatting`, the one way to write an amount, and `seo.sitemaps`, the base of every
  app's sitemap sections;
- `addresses.models` and `addresses.forms`, the postal address that an order and a profile
  are both built on (an abstract model, its form fields and widgets). It imports no app.

The dashboard (`dashboard`) is the back office, as the admin is: it shows what every app holds
and changes it only through the service of the app that owns it, as each app's admin.py calls
its own. So it may also import `catalog.services` (a restock) and `checkout.pricing` (its demo
orders' amounts, worked out as checkout works them out), and nothing else of another app; no
app imports the dashboard.

Models of another app are reached through the app registry (`apps.get_model("checkout",
"Order")`) or a model label (`ForeignKey("catalog.Product")`), never imported, and only where
the app's own models already depend on that app: checkout's lines point at catalog's products,
so checkout may read products; checkout has no relation to accounts' profiles, so it asks for
what it needs through a signal (`address_wanted`). A relation to the user model
(`settings.AUTH_USER_MODEL`) is one to Django's auth contract, not to the app that happens to
define the model. `apps.py` and `receivers.py` are exempt: connecting to another app's signals
means naming its senders.

An app shows its UI on another app's page through its own template tags
(`{% add_to_cart_form %}`, `{% stock_badge %}`), so no app's template includes or extends
another app's templates. The project's templates (`templates/`: the site's shell) include no
app's either.

The project package (`storefront`) sits beneath the apps: apps may use its site-wide web
pieces (HTTP helpers), and it imports no app. Tests and migrations are exempt: tests build
other apps' rows with their factories, and migrations name what they depend on.

Imports inside functions count as much as those at the top of a module.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import engines
from django.template.loader_tags import ExtendsNode, IncludeNode

APPS = [
    "accounts",
    "addresses",
    "alerts",
    "blog",
    "catalog",
    "checkout",
    "development",
    "money",
    "operations",
    "outbox",
    "pagecache",
    "payments",
    "ratelimits",
    "seo",
]
PROJECT = "storefront"
# Modules of one app that another app may import, besides `<app>.signals`.
SHARED = {
    "outbox.services",
    "ratelimits.services",
    "pagecache.pages",
    "pagecache.rows",
    "money.formatting",
    "seo.sitemaps",
    "addresses.models",
    "addresses.forms",
}
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


def _imports_of_apps(package: str) -> list[str]:
    root = Path(settings.BASE_DIR)
    return [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in _modules(package)
        for line, module in _imported(path)
        if module.split(".")[0] in {*APPS, BACK_OFFICE} - {package}
    ]


def test_the_project_package_imports_no_app():
    assert _imports_of_apps(PROJECT) == []


def test_the_shared_address_imports_no_app():
    """Checkout and accounts both build on it, so it may lean on neither (nor any other)."""
    assert _imports_of_apps("addresses") == []


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


# Modules that connect an app to others' signals, and so name their senders' models.
WIRING = {"apps.py", "receivers.py"}


def _related_apps(app: str) -> set[str]:
    """The other apps whose models `app`'s models point at (foreign keys, one-to-one and
    many-to-many fields), the user model's aside."""
    return {
        field.related_model._meta.app_label
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and not field.auto_created  # a reverse relation: another model points here
        and field.related_model is not None
        and field.related_model._meta.label != settings.AUTH_USER_MODEL
    } - {app}


def _model_lookups(path: Path):
    """(line, "app.Model" or None when it is not written out) of every `get_model(...)`."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        if name != "get_model":
            continue
        words = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
        label = ".".join(words) if len(words) == len(node.args) else ""
        yield node.lineno, label if label.count(".") == 1 else None


def _model_reaches(app: str, paths) -> list[str]:
    """Where `app`'s modules (but its wiring) look up a model of an app its models do not
    point at, or one whose name they build at run time."""
    root = Path(settings.BASE_DIR)
    allowed = _related_apps(app) | {app}
    return [
        f"{path.relative_to(root)}:{line} reaches "
        + (
            f"{label}: no model of {app} points at {label.split('.')[0]}"
            if label
            else "a model named at run time"
        )
        for path in paths
        if not (path.name in WIRING and path.parent == root / app)
        for line, label in _model_lookups(path)
        if label is None or label.split(".")[0] not in allowed
    ]


@pytest.mark.parametrize("app", APPS)
def test_an_app_reaches_only_the_models_of_apps_its_models_point_at(app):
    assert _model_reaches(app, _modules(app)) == []


def test_the_model_rule_sees_checkout_reaching_accounts_profiles(tmp_path, settings):
    """The scanner itself: a lookup of an unrelated app's model is caught, one of a related
    app's passes, and the wiring in `apps.py` may name any sender."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    views, wiring = checkout / "views.py", checkout / "apps.py"
    views.write_text(
        "from django.apps import apps\n"
        "def prefill(user):\n"
        '    Product = apps.get_model("catalog", "Product")\n'
        '    Customer = apps.get_model("accounts.Customer")\n'
        "    Dynamic = apps.get_model(*label.split('.'))\n"
    )
    wiring.write_text('Order = apps.get_model("accounts", "Customer")\n')

    settings.BASE_DIR = tmp_path

    assert _model_reaches("checkout", [views, wiring]) == [
        "checkout/views.py:4 reaches accounts.Customer: no model of checkout points at accounts",
        "checkout/views.py:5 reaches a model named at run time",
    ]


def _templates(directory: Path):
    for path in sorted(directory.rglob("*")):
        if path.suffix in {".html", ".txt"}:
            yield path


def _template_uses(path: Path):
    """(line, template name or None when it is a variable) of each {% include %} and
    {% extends %} of the template at `path`, as Django parses it (comments are not read)."""
    template = engines["django"].engine.from_string(path.read_text())
    for node in template.nodelist.get_nodes_by_type((IncludeNode, ExtendsNode)):
        name = (node.template if isinstance(node, IncludeNode) else node.parent_name).var
        yield node.token.lineno, name if isinstance(name, str) else None


def _foreign_templates(owner: str | None, paths) -> list[str]:
    """What the templates of `owner` (an app, or None for the project's) use of an app's
    templates other than its own. An app's templates are named after it ("catalog/...")."""
    root = Path(settings.BASE_DIR)
    found = []
    for path in paths:
        for line, name in _template_uses(path):
            app = name.split("/")[0] if name else None
            if name is None or (app in APPS and app != owner):
                found.append(
                    f"{path.relative_to(root)}:{line} uses {name or 'a template named at run time'}"
                )
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_app_template_includes_another_apps_template(app):
    templates = Path(settings.BASE_DIR) / app / "templates"
    assert _foreign_templates(app, _templates(templates)) == []


def test_the_project_templates_include_no_apps_template():
    assert _foreign_templates(None, _templates(Path(settings.BASE_DIR) / "templates")) == []


def test_the_template_rule_sees_an_include_of_another_apps_template(tmp_path, settings):
    """The scanner itself: another app's template is caught, included or extended; the app's
    own templates, the project's and a commented-out include pass."""
    card = tmp_path / "product_card.html"
    card.write_text(
        '{% extends "checkout/base.html" %}{% block content %}\n'
        '{% include "catalog/stock.html#badge" %}{% include "meta.html" %}\n'
        "{# {% include 'alerts/stock_alert.html' %} #}\n"
        '{% include "checkout/add_to_cart.html#form" %}\n'
        "{% include form_template %}{% endblock %}\n"
    )

    settings.BASE_DIR = tmp_path

    assert _foreign_templates("catalog", [card]) == [
        "product_card.html:1 uses checkout/base.html",
        "product_card.html:4 uses checkout/add_to_cart.html#form",
        "product_card.html:5 uses a template named at run time",
    ]


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
