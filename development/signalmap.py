"""Who listens to whom: the project's signal receivers, read from the live dispatchers.

`manage.py signalmap` prints this map (`--markdown` as tables, `--mermaid` as a flowchart); the
README's "How the apps talk" section holds the same tables and picture, and a test keeps them
equal to the live receivers. The routes between apps (and from Django into them) come first:
they are the story of the apps. Reactions to models being saved or deleted (the profile made
for a new user, cached pages forgotten) come apart, after them.
"""

import importlib
import weakref
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.dispatch import Signal

# Modules whose signals our apps may listen to, besides each project app's own `signals`.
FRAMEWORK_SIGNAL_MODULES = [
    "django.db.models.signals",
    "django.core.signals",
    "django.contrib.auth.signals",
    "django.tasks.signals",
]


@dataclass(frozen=True, order=True)
class Route:
    signal: str
    sender: str
    receiver: str
    dispatch_uid: str


def project_apps() -> list:
    """The apps that live in this repository (not Django's or third-party ones)."""
    # A project app is a top-level package of this repository (a virtualenv inside it is not).
    root = Path(settings.BASE_DIR).resolve()
    return [app for app in apps.get_app_configs() if Path(app.path).resolve().parent == root]


def _signals() -> dict[str, Signal]:
    modules = list(FRAMEWORK_SIGNAL_MODULES)
    for app in project_apps():
        if importlib.util.find_spec(f"{app.name}.signals"):
            modules.append(f"{app.name}.signals")
    found = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if isinstance(value, Signal):
                found[f"{module_name}.{name}"] = value
    return found


def _describe_sender(sender) -> str:
    if sender is None:
        return "any"
    meta = getattr(sender, "_meta", None)
    return meta.label if meta else f"{sender.__module__}.{sender.__qualname__}"


def routes() -> list[Route]:
    """Every receiver defined in a project app, with the signal and sender it is connected to."""
    ours = tuple(app.name for app in project_apps())
    found = []
    for signal_name, signal in _signals().items():
        for lookup_key, receiver, sender_ref, _is_async in signal.receivers:
            if isinstance(receiver, weakref.ReferenceType):  # connected weak (the default)
                receiver = receiver()
            if receiver is None or not receiver.__module__.startswith(ours):
                continue
            uid = lookup_key[0] if isinstance(lookup_key[0], str) else ""
            found.append(
                Route(
                    signal=signal_name,
                    sender=_describe_sender(sender_ref() if sender_ref else None),
                    receiver=f"{receiver.__module__}.{receiver.__qualname__}",
                    dispatch_uid=uid,
                )
            )
    return sorted(found)


def _app(route: Route) -> str:
    """The app whose receiver listens."""
    return route.receiver.split(".")[0]


def apart(found: list[Route]) -> tuple[list[Route], list[Route]]:
    """The routes between apps (an app's published signals, Django's auth and task signals),
    and the rest: reactions to models being saved or deleted (the profile made for a new
    user, the page cache forgetting pages that show a changed product), and an app listening to
    its own signals."""
    project = {app.name for app in project_apps()}
    within = [
        r
        for r in found
        if r.signal.startswith("django.db.models.signals.") or _origin(r, project) == _app(r)
    ]
    return [r for r in found if r not in within], within


def _table(found: list[Route]) -> list[str]:
    lines = ["| signal | sender | receiver | dispatch_uid |", "| --- | --- | --- | --- |"]
    lines += [
        f"| `{r.signal}` | `{r.sender}` | `{r.receiver}` | `{r.dispatch_uid}` |" for r in found
    ]
    return lines


def as_markdown(found: list[Route]) -> str:
    """Two tables: the routes between apps, then the reactions to models saved or deleted."""
    between, within = apart(found)
    lines = ["**Between apps**", "", *_table(between), ""]
    lines += ["**Models saved or deleted, and an app on its own signals**", "", *_table(within)]
    return "\n".join(lines)


def as_text(found: list[Route]) -> str:
    headers = Route("signal", "sender", "receiver", "dispatch_uid")
    between, within = apart(found)
    rows = [headers, *between, *within]
    widths = [max(len(getattr(row, field)) for row in rows) for field in Route.__dataclass_fields__]
    return "\n".join(
        "  ".join(
            getattr(row, field).ljust(width)
            for field, width in zip(Route.__dataclass_fields__, widths, strict=True)
        ).rstrip()
        for row in rows
    )


def _origin(route: Route, project: set[str]) -> str:
    """Who sends the signal: the project app defining it, a model's app, or the framework."""
    module = route.signal.rpartition(".")[0]
    package = module.removesuffix(".signals")
    if package in project:
        return package
    if route.sender != "any":  # a model signal: post_save of blog.Comment comes from blog
        return route.sender.split(".")[0]
    return package  # django.contrib.auth, django.core, ...


def _label(route: Route) -> str:
    name = route.signal.rpartition(".")[2]
    if route.signal.startswith("django.db.models.signals.") and route.sender != "any":
        return f"{name} {route.sender.split('.')[1]}"
    return name


def _node(name: str) -> str:
    return name.replace(".", "_")


def as_mermaid(found: list[Route]) -> str:
    """A Mermaid flowchart in two parts, the routes between apps above the reactions to models
    saved or deleted."""
    between, within = apart(found)
    lines = [
        "flowchart LR",
        # An invisible frame that stacks the parts; `~~~`, an unseen link, puts one above.
        '    subgraph map[" "]',
        "    direction TB",
        '    subgraph between["Between apps"]',
        "    direction LR",
        *_between_apps(between),
        "    end",
        '    subgraph own["Models saved or deleted"]',
        "    direction LR",
        *_within_apps(within),
        "    end",
        "    between ~~~ own",
        "    end",
        "    style map fill:none,stroke:none",
    ]
    return "\n".join(lines)


def _between_apps(found: list[Route]) -> list[str]:
    """Each app a box, each signal a labelled arrow from sender to listener. Framework senders
    (Django's auth) are drawn round. Receivers of one app listening to the same signal share
    one arrow."""
    project = {app.name for app in project_apps()}
    edges = sorted(
        {(_origin(r, project), _label(r), _app(r)) for r in found},
        key=lambda edge: (edge[0], edge[2], edge[1]),
    )
    nodes = sorted({edge[0] for edge in edges} | {edge[2] for edge in edges})
    lines = []
    for node in nodes:
        shape = '["{}"]' if node in project else '(["{}"])'
        lines.append(f"    {_node(node)}{shape.format(node)}")
    for origin, label, listener in edges:
        lines.append(f'    {_node(origin)} -->|"{label}"| {_node(listener)}')
    return lines


def _within_apps(found: list[Route]) -> list[str]:
    """Each model a cylinder, with one arrow to each of its app's receivers it is sent to,
    labelled with the signals (post_save, post_delete)."""
    order = list(_signals())  # signals in the order their modules define them
    signals = {}  # (sender, receiver) -> [signal name, ...]
    for r in sorted(found, key=lambda r: order.index(r.signal)):
        sender = r.sender if r.sender != "any" else r.signal.rpartition(".")[0]
        signals.setdefault((sender, r.receiver), []).append(r.signal.rpartition(".")[2])
    lines = [f'    {_node(sender)}[("{sender}")]' for sender in sorted({s for s, _ in signals})]
    for receiver in sorted({receiver for _, receiver in signals}):
        module, _, function = receiver.rpartition(".")
        lines.append(f'    {_node(receiver)}["{module.split(".")[0]}: {function}"]')
    for (sender, receiver), names in sorted(signals.items()):
        lines.append(f'    {_node(sender)} -->|"{", ".join(names)}"| {_node(receiver)}')
    return lines
