"""Stripe's HTTP API, the part the shop uses: its routes, their parameters, and `expand[]`.

Parameters arrive form-encoded as the SDK sends them (`line_items[0][price_data][currency]=eur`,
`expand[0]=payment_intent`), are decoded into nested dicts and lists, and are then read one by
one (`Params`), so that a missing, malformed or unknown parameter is refused as Stripe refuses
it: 400, naming the parameter, before anything happens.
"""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from stripe_sandbox.state import ApiError, LineItem, Sandbox

SESSION_LIFETIME = (30 * 60, 24 * 60 * 60)  # Stripe's bounds on expires_at, from creation
CAPTURE_METHODS = ("automatic", "automatic_async", "manual")
CANCELLATION_REASONS = ("abandoned", "duplicate", "fraudulent", "requested_by_customer")
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
# Which ids `expand[]` may replace by their object, and the kind of object each one is.
EXPANDABLE = {
    "checkout.session": {"payment_intent": "payment_intent"},
    "payment_intent": {"latest_charge": "charge"},
    "charge": {"payment_intent": "payment_intent"},
    "refund": {"charge": "charge", "payment_intent": "payment_intent"},
}

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_PART = re.compile(r"\[([^\[\]]*)\]")


def invalid(message: str, param: str, code: str | None = None) -> ApiError:
    """Bad parameters: refused before anything happens, so nothing is kept for replay."""
    return ApiError(400, message, param=param, code=code, saved=False)


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """`a[b][0][c]=1` pairs as nested dicts, with lists where every key is an index."""
    root: dict = {}
    for name, value in pairs:
        match = _NAME.fullmatch(name)
        if match is None:
            raise invalid(f"Invalid parameter name: {name}", name)
        *path, last = [match[1], *_PART.findall(match[2])]
        node = root
        for part in path:
            node = node.setdefault(part or str(len(node)), {})
            if not isinstance(node, dict):
                raise invalid(f"Invalid parameter: {name} mixes a value and a hash.", name)
        last = last or str(len(node))
        if last in node:
            raise invalid(f"Received the parameter {name} more than once.", name)
        node[last] = value
    return _with_lists(root)


def _with_lists(node):
    if not isinstance(node, dict):
        return node
    items = {key: _with_lists(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


class Params:
    """A request's parameters, taken one by one; `done()` refuses whatever is left over."""

    def __init__(self, values: dict, prefix: str = ""):
        self._values = dict(values)
        self._prefix = prefix

    def name(self, key: str) -> str:
        return f"{self._prefix}[{key}]" if self._prefix else key

    def _take(self, key: str, required: bool):
        value = self._values.pop(key, None)
        if value in (None, ""):
            if required:
                message = f"Missing required param: {self.name(key)}."
                raise invalid(message, self.name(key), "parameter_missing")
            return None
        return value

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        choices: tuple[str, ...] = (),
        max_length: int = 5000,
    ) -> str | None:
        value = self._take(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise invalid(f"Invalid string: {self.name(key)} must be a string.", self.name(key))
        if choices and value not in choices:
            message = f"Invalid {self.name(key)}: must be one of {', '.join(choices)}"
            raise invalid(message, self.name(key))
        if len(value) > max_length:
            message = f"Invalid {self.name(key)}: must be at most {max_length} characters"
            raise invalid(message, self.name(key), "parameter_invalid_string_too_long")
        return value

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self._take(key, required)
        if value is None:
            return None
        if not (isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value)):
            raise invalid(f"Invalid integer: {value}", self.name(key), "parameter_invalid_integer")
        number = int(value)
        if minimum is not None and number < minimum:
            message = f"Invalid {self.name(key)}: must be at least {minimum}"
            raise invalid(message, self.name(key), "parameter_invalid_integer")
        if maximum is not None and number > maximum:
            message = f"Invalid {self.name(key)}: must be at most {maximum}"
            raise invalid(message, self.name(key), "parameter_invalid_integer")
        return number

    def url(self, key: str, *, required: bool = False) -> str | None:
        value = self.string(key, required=required)
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise invalid(f"Not a valid URL: {self.name(key)}", self.name(key), "url_invalid")
        return value

    def currency(self, key: str, *, required: bool = False) -> str | None:
        value = self.string(key, required=required)
        if value is not None and not re.fullmatch(r"[a-z]{3}", value):
            message = f"Invalid currency: {value}. Use a lowercase ISO 4217 code, like eur."
            raise invalid(message, self.name(key))
        return value

    def nested(self, key: str, *, required: bool = False) -> "Params":
        """A hash parameter, as Params of its own (empty when absent)."""
        value = self._take(key, required) or {}
        if not isinstance(value, dict):
            raise invalid(f"Invalid object: {self.name(key)} must be a hash.", self.name(key))
        return Params(value, self.name(key))

    def each(self, key: str, *, required: bool = False) -> list["Params"]:
        """An array of hashes, each as Params of its own."""
        value = self._take(key, required) or []
        if not (isinstance(value, list) and all(isinstance(item, dict) for item in value)):
            raise invalid(f"Invalid array: {self.name(key)} must be an array.", self.name(key))
        return [Params(item, f"{self.name(key)}[{i}]") for i, item in enumerate(value)]

    def strings(self, key: str, *, required: bool = False) -> list[str]:
        value = self._take(key, required) or []
        value = [value] if isinstance(value, str) else value
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise invalid(f"Invalid array: {self.name(key)} must be strings.", self.name(key))
        return value

    def metadata(self, key: str) -> dict[str, str]:
        """Stripe's metadata: up to 50 string values, keys up to 40 characters, values 500."""
        value = self._take(key, False) or {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise invalid(f"Invalid {self.name(key)}: must be a hash of strings.", self.name(key))
        if len(value) > 50 or any(len(k) > 40 or len(v) > 500 for k, v in value.items()):
            message = (
                f"Invalid {self.name(key)}: at most 50 keys, each up to 40 characters, "
                "with values up to 500 characters."
            )
            raise invalid(message, self.name(key))
        return value

    def peek(self, key: str):
        """A parameter's raw value, left in place: for one that may come in two shapes."""
        return self._values.get(key)

    def done(self) -> None:
        if self._values:
            unknown = self.name(sorted(self._values)[0])
            raise invalid(f"Received unknown parameter: {unknown}", unknown, "parameter_unknown")


# Checkout Sessions


def create_session(sandbox: Sandbox, params: Params) -> dict:
    params.string("mode", required=True, choices=("payment",))
    line_items = [_line_item(item) for item in params.each("line_items", required=True)]
    if len({item.currency for item in line_items}) > 1:
        raise invalid("All line items must share one currency.", "line_items")
    if sum(item.amount for item in line_items) <= 0:
        raise invalid("The Checkout Session's total amount due must be above zero.", "line_items")
    intent_data = params.nested("payment_intent_data")
    capture_method = intent_data.string("capture_method", choices=CAPTURE_METHODS)
    intent_metadata = intent_data.metadata("metadata")
    intent_data.done()
    now = sandbox.clock.now()
    expires_at = params.integer("expires_at")
    if expires_at is None:
        expires_at = now + SESSION_LIFETIME[1]
    elif not now + SESSION_LIFETIME[0] <= expires_at <= now + SESSION_LIFETIME[1]:
        message = (
            "The `expires_at` timestamp must be between 30 minutes and 24 hours "
            "from Checkout Session creation."
        )
        raise invalid(message, "expires_at")
    if params.strings("payment_method_types") not in ([], ["card"]):
        raise invalid("The sandbox takes cards only.", "payment_method_types")
    params.string("locale")  # the hosted page speaks English only
    fields = {
        "success_url": params.url("success_url", required=True),
        "cancel_url": params.url("cancel_url"),
        "metadata": params.metadata("metadata"),
        "client_reference_id": params.string("client_reference_id", max_length=200),
        "customer_email": params.string("customer_email", max_length=800),
    }
    params.done()
    session = sandbox.create_session(
        line_items=line_items,
        expires_at=expires_at,
        capture_method=capture_method or "automatic_async",
        intent_metadata=intent_metadata,
        **fields,
    )
    return session.as_json()


def _line_item(item: Params) -> LineItem:
    quantity = item.integer("quantity", required=True, minimum=1)
    price = item.nested("price_data", required=True)
    currency = price.currency("currency", required=True)
    unit_amount = price.integer("unit_amount", required=True, minimum=0, maximum=99_999_999)
    product = price.nested("product_data", required=True)
    name = product.string("name", required=True)
    for params in (product, price, item):
        params.done()
    return LineItem(name=name, currency=currency, unit_amount=unit_amount, quantity=quantity)


def retrieve_session(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.session(id).as_json()


def expire_session(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.expire_session(id).as_json()


# PaymentIntents, their charges, refunds


def retrieve_intent(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.intent(id).as_json()


def capture_intent(sandbox: Sandbox, params: Params, id: str) -> dict:
    amount = params.integer("amount_to_capture", minimum=1)
    params.done()
    return sandbox.capture(id, amount).as_json()


def cancel_intent(sandbox: Sandbox, params: Params, id: str) -> dict:
    reason = params.string("cancellation_reason", choices=CANCELLATION_REASONS)
    params.done()
    return sandbox.cancel(id, reason).as_json()


def retrieve_charge(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.charge(id).as_json()


def create_refund(sandbox: Sandbox, params: Params) -> dict:
    intent_id = params.string("payment_intent", required=True)
    amount = params.integer("amount", minimum=1)
    metadata = params.metadata("metadata")
    reason = params.string("reason", choices=REFUND_REASONS)
    params.done()
    refund = sandbox.create_refund(
        intent_id=intent_id, amount=amount, metadata=metadata, reason=reason
    )
    return refund.as_json()


def retrieve_refund(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.refund(id).as_json()


# Events, for reconciliation after a lost webhook


def list_events(sandbox: Sandbox, params: Params) -> dict:
    types = params.strings("types")
    if (single := params.string("type")) is not None:
        types.append(single)
    created = {}
    if isinstance(params.peek("created"), dict):
        bounds = params.nested("created")
        created = {op: bounds.integer(op) for op in ("gt", "gte", "lt", "lte")}
        bounds.done()
    elif (exactly := params.integer("created")) is not None:
        created = {"gte": exactly, "lte": exactly}
    limit = params.integer("limit", minimum=1, maximum=100)
    starting_after = params.string("starting_after")
    params.done()
    return sandbox.list_events(
        types=types,
        created={op: bound for op, bound in created.items() if bound is not None},
        limit=10 if limit is None else limit,
        starting_after=starting_after,
    )


def retrieve_event(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.event(id)


# Webhook endpoints


def create_endpoint(sandbox: Sandbox, params: Params) -> dict:
    url = params.url("url", required=True)
    enabled_events = params.strings("enabled_events", required=True)
    params.string("api_version")  # every event is in the sandbox's one version
    params.string("description")
    params.done()
    endpoint = sandbox.add_endpoint(url=url, enabled_events=enabled_events)
    return endpoint.as_json(with_secret=True)


def retrieve_endpoint(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    return sandbox.endpoint(id).as_json()


def delete_endpoint(sandbox: Sandbox, params: Params, id: str) -> dict:
    params.done()
    endpoint = sandbox.remove_endpoint(id)
    return {"id": endpoint.id, "object": "webhook_endpoint", "deleted": True}


_ID = r"(?P<id>[A-Za-z0-9_]+)"
ROUTES: list[tuple[str, re.Pattern, Callable[..., dict], str]] = [
    (method, re.compile(pattern), handler, kind)
    for method, pattern, handler, kind in (
        ("POST", "/v1/checkout/sessions", create_session, "checkout.session"),
        ("GET", f"/v1/checkout/sessions/{_ID}", retrieve_session, "checkout.session"),
        ("POST", f"/v1/checkout/sessions/{_ID}/expire", expire_session, "checkout.session"),
        ("GET", f"/v1/payment_intents/{_ID}", retrieve_intent, "payment_intent"),
        ("POST", f"/v1/payment_intents/{_ID}/capture", capture_intent, "payment_intent"),
        ("POST", f"/v1/payment_intents/{_ID}/cancel", cancel_intent, "payment_intent"),
        ("GET", f"/v1/charges/{_ID}", retrieve_charge, "charge"),
        ("POST", "/v1/refunds", create_refund, "refund"),
        ("GET", f"/v1/refunds/{_ID}", retrieve_refund, "refund"),
        ("GET", "/v1/events", list_events, "list"),
        ("GET", f"/v1/events/{_ID}", retrieve_event, "event"),
        ("POST", "/v1/webhook_endpoints", create_endpoint, "webhook_endpoint"),
        ("GET", f"/v1/webhook_endpoints/{_ID}", retrieve_endpoint, "webhook_endpoint"),
        ("DELETE", f"/v1/webhook_endpoints/{_ID}", delete_endpoint, "webhook_endpoint"),
    )
]


def call(sandbox: Sandbox, method: str, path: str, values: dict) -> dict:
    """Answer one API request whose parameters are decoded, with its expansions made."""
    found = [
        (handler, kind, match)
        for route_method, pattern, handler, kind in ROUTES
        if route_method == method and (match := pattern.fullmatch(path))
    ]
    if not found:
        raise ApiError(404, f"Unrecognized request URL ({method}: {path}).", saved=False)
    [(handler, kind, match)] = found
    params = Params(values)
    expansions = params.strings("expand")
    for expansion in expansions:
        _check_expansion(kind, expansion)
    answer = handler(sandbox, params, **match.groupdict())
    for expansion in expansions:
        _expand(sandbox, answer, expansion)
    return answer


def _check_expansion(kind: str, path: str) -> None:
    field, _, rest = path.partition(".")
    if field not in EXPANDABLE.get(kind, {}):
        raise invalid(f"This property cannot be expanded ({path}).", "expand")
    if rest:
        _check_expansion(EXPANDABLE[kind][field], rest)


def _expand(sandbox: Sandbox, answer: dict, path: str) -> None:
    field, _, rest = path.partition(".")
    if isinstance(answer[field], str):
        answer[field] = sandbox.find(answer[field])
    if rest and answer[field] is not None:
        _expand(sandbox, answer[field], rest)
