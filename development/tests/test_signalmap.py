import inspect
import re
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import module_has_submodule

from development.signalmap import _signals, as_markdown, as_mermaid, project_apps, routes


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
        'blog -->|"post_save Comment"| blog',
        'django_contrib_auth -->|"user_logged_in"| checkout',
    ]:
        assert f"    {arrow}" in lines


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
