"""Measuring one endpoint: rounds of (/healthz, endpoint), medians, the ratio to the ceiling.

A shared 2-core machine drifts: while other work comes and goes, /healthz can answer twice as
fast a few seconds later. So every run of an endpoint follows a run of /healthz on the same
server, and the ratio of the two is taken per round before the median is: what is compared is
the endpoint's cost against Django's floor at that moment, which holds when absolute numbers
wander.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from statistics import median

from . import wrk
from .endpoints import (
    HEALTHZ,
    SHOPPER,
    STAFF,
    VISITOR,
    VISITOR_WITH_CART,
    Endpoint,
    MissingFacts,
)
from .server import WEBHOOK_SECRET, ServerError, Session, fetch

# An If-None-Match no page ever had: what a poller sends after its page changed.
STALE_ETAG = '"stale"'
# Where the once mode sends requests when its items run out (404: counted as errors).
SPENT_PATH = "/benchmark-ran-out-of-orders/"


@dataclass(frozen=True)
class Client:
    """How wrk reaches one server: its address, its audiences, the load shape."""

    base_url: str
    visitor: Session
    shoppers: list[Session]
    visitors_with_cart: list[Session] = field(default_factory=list)
    staff: list[Session] = field(default_factory=list)
    duration: int = 2
    connections: int = 16
    threads: int = 2

    def config(self, endpoint: Endpoint, facts: dict) -> dict:
        """The run description bench.lua reads (raises MissingFacts for inactive endpoints)."""
        path = endpoint.path(facts)
        headers = {"HX-Request": "true"} if endpoint.htmx else {}
        if endpoint.method == "GET" and endpoint.audience != VISITOR:
            # Each request from the next session in turn; wrk adds its cookie.
            sessions = {
                SHOPPER: self.shoppers,
                VISITOR_WITH_CART: self.visitors_with_cart,
                STAFF: self.staff,
            }
            if not sessions[endpoint.audience]:
                volume = "dashboard" if endpoint.audience == STAFF else "checkout"
                raise MissingFacts(
                    f"no {endpoint.audience} sessions (loadtest/volumes/{volume}.py)"
                )
            return {
                "mode": "rotate",
                "method": "GET",
                "headers": headers,
                "body": None,
                "paths": [path],
                "sessions": [vars(session) for session in sessions[endpoint.audience]],
            }
        if endpoint.method == "GET":
            headers["Cookie"] = self.visitor.cookie
            if endpoint.etag == "current":
                headers["If-None-Match"] = self._current_etag(path, headers)
            elif endpoint.etag == "stale":
                headers["If-None-Match"] = STALE_ETAG
            return {"mode": "fixed", "method": "GET", "path": path, "headers": headers}

        if endpoint.signed:
            headers["Content-Type"] = "application/json"
            path = [[*item, {"Stripe-Signature": stripe_signature(item[2])}] for item in path]
        elif endpoint.body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        config = {
            "method": endpoint.method,
            "headers": headers,
            "body": endpoint.body,
            "sessions": [vars(session) for session in self.shoppers],
        }
        if endpoint.each_once:
            return {**config, "mode": "once", "items": path, "offset": 1, "spent": SPENT_PATH}
        return {**config, "mode": "rotate", "paths": [path] if isinstance(path, str) else path}

    def _current_etag(self, path: str, headers: dict) -> str:
        answer = fetch(self.base_url, "GET", path, headers=headers)
        if answer.status != 200 or "ETag" not in answer.headers:
            raise ServerError(f"{path} answered {answer.status} without an ETag.")
        return answer.headers["ETag"]

    def run(self, config: dict, *, connections: int | None = None) -> wrk.WrkResult:
        """One wrk run; `connections` in place of the client's, for an endpoint that has
        its own."""
        connections = connections or self.connections
        return wrk.run(
            self.base_url,
            config,
            duration=self.duration,
            connections=connections,
            # wrk gives each thread at least one connection.
            threads=min(self.threads, connections),
        )


def stripe_signature(body: str) -> str:
    """The `Stripe-Signature` header Stripe would send with `body` now, signed with the
    benchmark server's webhook secret. A run's items are signed when it is set up: every round
    follows within Stripe's five minutes' tolerance."""
    timestamp = int(time.time())
    signed = f"{timestamp}.{body}".encode()
    digest = hmac.new(WEBHOOK_SECRET.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Measurement:
    """An endpoint's runs, each with the /healthz run just before it."""

    endpoint: Endpoint
    results: list[wrk.WrkResult] = field(default_factory=list)
    ceilings: list[wrk.WrkResult] = field(default_factory=list)
    # After a confirm endpoint: loadtest.volumes.checkout.tally()'s answer.
    tally: dict | None = None

    @property
    def rps(self) -> float:
        return median(result.rps for result in self.results)

    @property
    def p50_ms(self) -> float:
        return median(result.p50_ms for result in self.results)

    @property
    def p99_ms(self) -> float:
        return median(result.p99_ms for result in self.results)

    @property
    def ratio(self) -> float:
        """Median over the rounds of (endpoint req/s ÷ /healthz req/s just before)."""
        return median(
            result.rps / ceiling.rps
            for result, ceiling in zip(self.results, self.ceilings, strict=True)
        )

    @property
    def errors(self) -> int:
        return sum(result.unexpected(self.endpoint.expect) for result in self.results)

    @property
    def exhausted(self) -> int:
        return sum(result.exhausted for result in self.results)


def measure(client: Client, endpoint: Endpoint, facts: dict, *, rounds: int) -> Measurement:
    """`rounds` rounds of (/healthz, endpoint), each run `client.duration` seconds long."""
    config = client.config(endpoint, facts)
    healthz = client.config(HEALTHZ, facts)
    measurement = Measurement(endpoint)
    for _ in range(rounds):
        measurement.ceilings.append(client.run(healthz))
        result = client.run(config, connections=endpoint.connections)
        measurement.results.append(result)
        if config["mode"] == "once":
            # The next round starts after the last item any thread took.
            config["offset"] += result.items_used
    return measurement


def ceiling(measurements: list[Measurement]) -> Measurement:
    """Every /healthz run of these measurements, as a row of its own (ratio 1 by definition)."""
    runs = [run for measurement in measurements for run in measurement.ceilings]
    return Measurement(HEALTHZ, results=runs, ceilings=runs)
