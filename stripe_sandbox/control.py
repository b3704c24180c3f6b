"""The control API under /_sandbox/: what a test (or the soak) does to the provider, and what it
sees of it. JSON in and out, no key needed; `client.SandboxClient` calls it from Python.

    GET    /_sandbox/health                          {"ok": true}
    GET    /_sandbox/state                           all it holds, deliveries with their attempts
    POST   /_sandbox/reset                           forget it all, faults off, as a restart would
    POST   /_sandbox/faults                          {"duplicate": 0.1, "hold": true, ...}
    POST   /_sandbox/deliveries/release              {"order": "created" | "reversed" | "shuffled"}
    POST   /_sandbox/outage                          {"seconds": 5, "refuse_connections": false}
    DELETE /_sandbox/outage                          end an outage that answers 503
    POST   /_sandbox/clock                           {"advance": 3600}: time moves on
    POST   /_sandbox/checkout/sessions/<id>/expire   the shopper walked away: expire it now
    POST   /_sandbox/webhook_endpoints               {"url", "secret"?, "enabled_events"?}
"""

import json
import re

from stripe_sandbox.state import ApiError
from stripe_sandbox.webhooks import RELEASE_ORDERS


class Refused(ValueError):
    """A control call that cannot be done as asked; the message says why."""


def answer(server, method: str, path: str, body: bytes) -> tuple[int, dict]:
    try:
        values = json.loads(body or b"{}")
        if not isinstance(values, dict):
            raise Refused("The body is a JSON object.")
        for route_method, pattern, handler in ROUTES:
            if route_method == method and (match := pattern.fullmatch(path)):
                return 200, handler(server, values, **match.groupdict())
        return 404, {"error": f"There is no control call {method} {path}."}
    except ValueError as refusal:  # a Refused, or JSON that does not parse
        return 400, {"error": str(refusal)}
    except ApiError as refusal:
        return refusal.status, {"error": str(refusal)}


def _only(values: dict, *names: str) -> None:
    if unknown := set(values) - set(names):
        raise Refused(f"Unknown field: {', '.join(sorted(unknown))}.")


def _seconds(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise Refused(f"{name} is a number of seconds, above 0.")
    return value


def health(server, values: dict) -> dict:
    return {"ok": True}


def state(server, values: dict) -> dict:
    return {
        **server.sandbox.snapshot(),
        "deliveries": server.deliveries.as_json(),
        "faults": server.faults.as_json(),
    }


def reset(server, values: dict) -> dict:
    server.reset()
    return {"ok": True}


def set_faults(server, values: dict) -> dict:
    server.faults.update(values)
    return server.faults.as_json()


def release(server, values: dict) -> dict:
    _only(values, "order")
    order = values.get("order", "created")
    if order not in RELEASE_ORDERS:
        raise Refused(f"order is one of {', '.join(RELEASE_ORDERS)}.")
    return {"released": server.deliveries.release(order)}


def start_outage(server, values: dict) -> dict:
    """Every API call answers 503 (or, with refuse_connections, the port is closed) and no
    webhook is sent, for `seconds` or, answering 503, until DELETE /_sandbox/outage."""
    _only(values, "seconds", "refuse_connections")
    seconds = values.get("seconds")
    if seconds is not None:
        seconds = _seconds(seconds, "seconds")
    if values.get("refuse_connections"):
        if seconds is None:
            raise Refused("A closed port cannot hear the call to end it: give it seconds.")
        server.refuse_connections(seconds)
    else:
        server.faults.start_outage(seconds)
    return server.faults.as_json()


def end_outage(server, values: dict) -> dict:
    server.faults.end_outage()
    return server.faults.as_json()


def advance_clock(server, values: dict) -> dict:
    _only(values, "advance")
    seconds = values.get("advance")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise Refused("advance is a whole number of seconds, 0 or more.")
    return {"now": server.sandbox.advance_clock(seconds)}


def expire_session(server, values: dict, id: str) -> dict:
    return server.sandbox.expire_session(id).as_json()


def add_endpoint(server, values: dict) -> dict:
    """An endpoint with a secret of the caller's choosing (`python -m stripe_sandbox --webhook`
    does the same), or a new one, as POST /v1/webhook_endpoints makes."""
    _only(values, "url", "secret", "enabled_events")
    url, secret = values.get("url"), values.get("secret")
    events = values.get("enabled_events", ["*"])
    if not (isinstance(url, str) and re.match(r"https?://.", url)):
        raise Refused("url is the http(s) address the events are posted to.")
    if secret is not None and not (isinstance(secret, str) and secret.startswith("whsec_")):
        raise Refused("secret starts with whsec_, as Stripe's do.")
    if not (isinstance(events, list) and events and all(isinstance(e, str) for e in events)):
        raise Refused('enabled_events is a list of event types, or ["*"].')
    endpoint = server.sandbox.add_endpoint(url=url, enabled_events=events, secret=secret)
    return endpoint.as_json(with_secret=True)


_ID = r"(?P<id>[A-Za-z0-9_]+)"
ROUTES = [
    (method, re.compile(pattern), handler)
    for method, pattern, handler in (
        ("GET", "/_sandbox/health", health),
        ("GET", "/_sandbox/state", state),
        ("POST", "/_sandbox/reset", reset),
        ("POST", "/_sandbox/faults", set_faults),
        ("POST", "/_sandbox/deliveries/release", release),
        ("POST", "/_sandbox/outage", start_outage),
        ("DELETE", "/_sandbox/outage", end_outage),
        ("POST", "/_sandbox/clock", advance_clock),
        ("POST", f"/_sandbox/checkout/sessions/{_ID}/expire", expire_session),
        ("POST", "/_sandbox/webhook_endpoints", add_endpoint),
    )
]
