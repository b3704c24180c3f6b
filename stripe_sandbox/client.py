"""`SandboxClient`: a running sandbox from Python. Its control API (faults, the clock, what it
holds), the shopper's side of its hosted page (pay with a test card, pass 3-D Secure, over
plain HTTP, no browser), and the Stripe SDK pointed at it.

The standard library only, but for `stripe_client()`: the soak and the shop's tests use it,
and `testing.py` hands one to each test.
"""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html import unescape


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Redirects are answers to look at (the hosted page's 303 to the shop), not to follow; and no
# proxy from the environment: the sandbox is on this machine.
loopback = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


class SandboxError(Exception):
    """The sandbox refused a control call; the message is its reason."""


@dataclass
class PageAnswer:
    """What the hosted page answered the shopper: a redirect (303 and where to), or a page."""

    status: int
    location: str | None
    html: str

    @property
    def error(self) -> str | None:
        """The reason shown to the shopper (a decline, a number no card has), if any."""
        found = re.search(r'role="alert"[^>]*>(.*?)</', self.html)
        return unescape(found[1]) if found else None


class SandboxClient:
    def __init__(self, url: str, api_key: str):
        self.url = url.rstrip("/")
        self.api_key = api_key

    def stripe_client(self, **options):
        """The official SDK's client, talking to the sandbox instead of Stripe."""
        import stripe

        options.setdefault("max_network_retries", 2)
        return stripe.StripeClient(self.api_key, base_addresses={"api": self.url}, **options)

    # What the sandbox holds

    def state(self) -> dict:
        """Sessions, PaymentIntents, charges, refunds, events, webhook endpoints, deliveries
        (each with its attempts and their answers), and the fault switches."""
        return self._control("GET", "/_sandbox/state")

    def deliveries(self, **matching) -> list[dict]:
        """The webhook deliveries, oldest first; `type="refund.created"`, `state="failed"`…
        keep those whose fields match."""
        return [
            delivery
            for delivery in self.state()["deliveries"]
            if all(delivery[name] == value for name, value in matching.items())
        ]

    def wait_for_deliveries(self, count: int, *, timeout: float = 5.0, **matching) -> list[dict]:
        """Wait until at least `count` deliveries match (see `deliveries`), and answer them."""
        deadline = time.monotonic() + timeout
        while len(found := self.deliveries(**matching)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} of {count} deliveries {matching}: {found}")
            time.sleep(0.02)
        return found

    # What a test does to it

    def reset(self) -> None:
        """Forget every session, payment, event, endpoint and delivery, and switch every fault
        off: a fresh sandbox on the same port."""
        self._control("POST", "/_sandbox/reset")

    def set_faults(self, **switches) -> dict:
        """duplicate=, drop= (shares, 0 to 1), delay= (seconds), hold= (until released),
        capture_delay= (seconds): see faults.py. Answers every switch."""
        return self._control("POST", "/_sandbox/faults", switches)

    def release_deliveries(self, order: str = "created") -> int:
        """Send the held deliveries: in the order of their events, "reversed" or "shuffled"."""
        return self._control("POST", "/_sandbox/deliveries/release", {"order": order})["released"]

    def start_outage(self, seconds: float | None = None, *, refuse_connections: bool = False):
        """Every API call answers 503 (or every connection is refused) and no webhook goes out,
        for `seconds`, or (answering 503) until `end_outage()`."""
        body = {"seconds": seconds, "refuse_connections": refuse_connections}
        return self._control("POST", "/_sandbox/outage", body)

    def end_outage(self) -> dict:
        return self._control("DELETE", "/_sandbox/outage")

    def advance_clock(self, seconds: int) -> int:
        """Move the sandbox's time on; sessions and authorizations then due expire at once."""
        return self._control("POST", "/_sandbox/clock", {"advance": seconds})["now"]

    def expire_session(self, session_id: str) -> dict:
        """The shopper walked away: the session expires now, as at its `expires_at`."""
        return self._control("POST", f"/_sandbox/checkout/sessions/{session_id}/expire")

    def add_webhook_endpoint(
        self, url: str, *, secret: str | None = None, enabled_events: tuple[str, ...] = ("*",)
    ) -> dict:
        """An endpoint receiving the events, signed with `secret` (or a new one, in the
        answer's "secret")."""
        body = {"url": url, "enabled_events": list(enabled_events)}
        if secret is not None:
            body["secret"] = secret
        return self._control("POST", "/_sandbox/webhook_endpoints", body)

    # The shopper on the hosted page

    def open_page(self, session_url: str) -> PageAnswer:
        return self._page(session_url)

    def pay(self, session_url: str, card: str = "4242 4242 4242 4242") -> PageAnswer:
        """Type `card` into the session's page and press Pay."""
        return self._page(session_url, {"card_number": card})

    def authenticate(self, session_url: str, *, passed: bool = True) -> PageAnswer:
        """Press "Complete authentication" (or "Fail authentication") on the 3-D Secure page."""
        outcome = "complete" if passed else "fail"
        return self._page(f"{session_url}/authenticate", {"outcome": outcome})

    def _page(self, url: str, form: dict | None = None) -> PageAnswer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with loopback.open(urllib.request.Request(url, data=data), timeout=10) as answer:
                return PageAnswer(answer.status, None, answer.read().decode())
        except urllib.error.HTTPError as answer:  # a redirect, a decline (422), a 503
            html = answer.read().decode()
            return PageAnswer(answer.code, answer.headers.get("Location"), html)

    def _control(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with loopback.open(request, timeout=10) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as refusal:
            raise SandboxError(json.load(refusal)["error"]) from None
