import inspect
import re
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import module_has_submodule

from storefront.signalmap import _signals, as_markdown, project_apps, routes


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
