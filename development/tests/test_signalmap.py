import inspect
import re
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import module_has_submodule

from development.signalmap import _signals, apart, as_markdown, as_mermaid, project_apps, routes


def test_every_listed_receiver_is_really_connected_for_its_sender():
    signals = _signals()
    for route in routes():
        signal = signals[route.signal]
        sender = None if route.sender == "any" else apps.get_model(route.sender)
        sync_receivers, async_receivers = signal._live_receivers(sender)
        live = {f"{r.__module__}.{r.__qualname__}" for r in [*sync_receivers, *async_receivers]}
        assert route.receiver in live, route


def test_every_receiver_function_in_the_project_is_connected_and_listed():
    listed = {route.receiver for route in routes()}
    defined = set()
    for app in project_apps():
        if not module_has_submodule(app.module, "receivers"):
            continue
        module = import_module(f"{app.name}.receivers")
        defined |= {
            f"{module.__name__}.{name}"
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == module.__name__ and not name.startswith("_")
        }
    assert defined == listed


def test_every_receiver_has_a_dispatch_uid():
    assert all(route.dispatch_uid for route in routes())


def test_the_readme_shows_the_live_signal_map():
    readme = (settings.BASE_DIR / "README.md").read_text()
    table = re.search(r"<!-- signalmap:start -->\n(.*)\n<!-- signalmap:end -->", readme, re.S)

    assert table, "README.md lost its signalmap markers"
    assert table.group(1) == as_markdown(routes()), (
        "The README's signal map is out of date: paste `manage.py signalmap --markdown` into it."
    )


def test_the_readme_shows_the_live_signal_map_as_a_mermaid_picture():
    readme = (settings.BASE_DIR / "README.md").read_text()
    picture = re.search(
        r"<!-- signalmap-mermaid:start -->\n```mermaid\n(.*)\n```\n<!-- signalmap-mermaid:end -->",
        readme,
        re.S,
    )

    assert picture, "README.md lost its signalmap-mermaid markers or its ```mermaid block"
    assert picture.group(1) == as_mermaid(routes()), (
        "The README's signal picture is out of date: paste `manage.py signalmap --mermaid` into it."
    )


def test_the_mermaid_picture_draws_each_app_once_and_each_signal_as_a_labelled_arrow():
    out = StringIO()
    call_command("signalmap", "--mermaid", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "flowchart LR"
    assert '    catalog["catalog"]' in lines
    assert lines.count('    catalog["catalog"]') == 1
    assert '    django_contrib_auth(["django.contrib.auth"])' in lines
    for arrow in [
        'checkout -->|"order_confirmed"| catalog',
        'checkout -->|"order_shipped"| alerts',
        'checkout -->|"order_delivered"| alerts',
        'catalog -->|"back_in_stock"| alerts',
        'catalog -->|"stock_low"| alerts',
        'django_contrib_auth -->|"user_logged_in"| checkout',
        # A reaction to an app's own model: from the model to the receiver, in the part below.
        'blog_Comment -->|"post_save"| blog_receivers_notify_post_author',
    ]:
        assert f"    {arrow}" in lines


def test_the_picture_shows_the_routes_between_apps_above_each_apps_reactions_to_its_models():
    lines = as_mermaid(routes()).splitlines()
    own = lines.index('    subgraph own["Models saved or deleted"]')

    assert lines.index('    subgraph between["Between apps"]') < own
    assert lines.index('    checkout -->|"order_confirmed"| catalog') < own
    assert not any(line.startswith("    catalog -->") for line in lines[own:])
    assert '    catalog_Product[("catalog.Product")]' in lines[own:]
    assert (
        '    catalog_Product -->|"post_save, post_delete"| pagecache_receivers_forget_pages'
        in lines[own:]
    )
    assert "    between ~~~ own" in lines  # one part above the other, in this order


def _senders_and_receivers(table: str) -> list[tuple[str, str]]:
    """(sender, receiver) of each row of a Markdown table of routes."""
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| `")]
    return [(row[1].strip("`"), row[2].strip("`")) for row in rows]


def test_the_tables_list_the_routes_between_apps_first_and_the_models_saved_or_deleted_apart():
    between, own = as_markdown(routes()).split(
        "**Models saved or deleted, and an app on its own signals**"
    )
    between, own = _senders_and_receivers(between), _senders_and_receivers(own)

    assert ("checkout.Order", "catalog.receivers.take_stock") in between
    assert ("any", "accounts.receivers.forget_failed_sign_ins") in between
    assert ("catalog.Product", "pagecache.receivers.forget_pages") in own
    assert ("accounts.User", "accounts.receivers.create_customer_profile") in own
    assert all(s.split(".")[0] != r.split(".")[0] for s, r in between)
    assert not any(r.signal.startswith("django.db.models.signals.") for r in apart(routes())[0])
    assert len(between) + len(own) == len(routes())


def test_the_command_prints_one_line_per_receiver():
    out = StringIO()
    call_command("signalmap", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[0].split() == ["signal", "sender", "receiver", "dispatch_uid"]
    assert len(lines) == 1 + len(routes())
    assert any(
        "checkout.signals.order_confirmed" in line and "catalog.receivers.take_stock" in line
        for line in lines
    )


def test_the_command_lists_the_routes_between_apps_before_each_apps_own():
    out = StringIO()
    call_command("signalmap", stdout=out)

    rows = out.getvalue().strip().splitlines()[1:]
    last_between = max(i for i, row in enumerate(rows) if row.startswith("checkout.signals."))
    first_own = min(i for i, row in enumerate(rows) if row.startswith("django.db.models."))
    assert last_between < first_own
