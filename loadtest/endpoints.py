"""What `make bench` measures: one table entry per endpoint.

Paths come from the facts the volumes' `build()` returned (loadtest/data.py),
so no id or slug is guessed here. An entry whose facts are missing, because no volume module
provides them yet, is skipped and listed as such: a new app's rows wait for its volume.

Adding an endpoint is one entry. A GET is made by one of four audiences:

- "visitor": a visitor with a CSRF cookie and no session yet, the same request every time;
- "shopper": the signed-in shoppers, each with items in their cart, in turn;
- "visitor with cart": visitors who put something in a cart without signing in (so they have
  a session), in turn;
- "staff": a member of staff, signed in (the dashboard).

POSTs are made by the signed-in shoppers, with their session cookie and an X-CSRFToken
header, as the shop's htmx requests send them; the webhook's, by no one signed in, each with
its own body and Stripe's signature of it.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The target for every GET page at 16 connections.
PAGE_P99_MS = 25.0
# The dashboard's, read afresh: staff wait for it at most once a minute, never a shopper.
DASHBOARD_P99_MS = 1000.0

VISITOR, SHOPPER, VISITOR_WITH_CART, STAFF = "visitor", "shopper", "visitor with cart", "staff"


class MissingFacts(LookupError):
    """The endpoint needs facts no volume provided (its app has no volume module yet)."""


def fact(app_label: str, key: str) -> Callable[[dict], object]:
    """A reader of facts[app_label][key], for the `path` of an entry."""

    def read(facts: dict):
        try:
            return facts[app_label][key]
        except KeyError:
            raise MissingFacts(f"no loadtest/volumes/{app_label}.py providing {key!r}") from None

    return read


@dataclass(frozen=True)
class Endpoint:
    """A row of the table: what to request, the answer it must get, the target it must meet."""

    name: str
    # facts -> the path (GET, or a POST repeated by every shopper), a list of paths (POSTs,
    # spread over them), or [[path, shopper index], ...] with `each_once`.
    path: Callable[[dict], object]
    method: str = "GET"
    body: str | None = None
    htmx: bool = False
    # Who makes a GET (VISITOR, SHOPPER or VISITOR_WITH_CART); POSTs are the shoppers'.
    audience: str = VISITOR
    # "current": send If-None-Match with the ETag the page has when the run starts;
    # "stale": send an outdated one, as a poller whose page changed does.
    etag: str | None = None
    # Every path is requested once, by the shopper who owns it (confirming an order).
    each_once: bool = False
    # The items are Stripe events for the webhook: each carries its body, signed for the run
    # with the benchmark server's webhook secret (loadtest/measure.py).
    signed: bool = False
    # The status every response must have; anything else counts as an error.
    expect: int = 200
    # The minimum ratio of this endpoint's req/s to /healthz's...
    target_ratio: float | None = None
    # ...on this database engine only ("postgresql"), or on any when None.
    target_engine: str | None = None
    # After the runs, check that the stock taken matches the orders confirmed.
    check_oversell: bool = False
    # A GET's p99 must stay below PAGE_P99_MS, or below this where a page is no shopper's.
    p99_limit: float | None = None
    # Requests at once (wrk's connections), where not the run's: a page that staff open now
    # and then is asked for by fewer people at a time than shoppers ask for theirs.
    connections: int | None = None

    @property
    def p99_limit_ms(self) -> float | None:
        if self.method != "GET":
            return None
        return self.p99_limit or PAGE_P99_MS


HEALTHZ = Endpoint("/healthz (ceiling)", lambda facts: "/healthz")

ENDPOINTS = [
    Endpoint("catalog page 1", fact("catalog", "list_path"), target_ratio=0.50),
    Endpoint(
        "catalog page 1, signed in with a cart",
        fact("catalog", "list_path"),
        audience=SHOPPER,
        target_ratio=0.50,
    ),
    Endpoint(
        "catalog page 1, visitor with a cart",
        fact("catalog", "list_path"),
        audience=VISITOR_WITH_CART,
        target_ratio=0.50,
    ),
    Endpoint("catalog search (HTMX partial)", fact("catalog", "search_path"), htmx=True),
    Endpoint("product detail", fact("catalog", "detail_path"), target_ratio=0.50),
    Endpoint(
        "product detail, signed in with a cart",
        fact("catalog", "detail_path"),
        audience=SHOPPER,
        target_ratio=0.50,
    ),
    Endpoint(
        "product detail, visitor with a cart",
        fact("catalog", "detail_path"),
        audience=VISITOR_WITH_CART,
        target_ratio=0.50,
    ),
    Endpoint("stock poll, changed (200)", fact("catalog", "poll_path"), htmx=True, etag="stale"),
    Endpoint(
        "stock poll, unchanged (304)",
        fact("catalog", "poll_path"),
        htmx=True,
        etag="current",
        expect=304,
        target_ratio=0.80,
    ),
    Endpoint(
        "add to cart (POST)",
        fact("checkout", "cart_add_paths"),
        method="POST",
        body="quantity=1&next=%2F",
        htmx=True,
        target_ratio=0.15,
    ),
    # Stripe's webhook telling the shop an order's money is held: the order is confirmed and
    # its stock taken, in the webhook's transaction. No target yet: measured.
    Endpoint(
        "pay and confirm (webhook POST)",
        fact("payments", "webhooks"),
        method="POST",
        each_once=True,
        signed=True,
        check_oversell=True,
    ),
    # The blog's rows, from the facts of loadtest/volumes/blog.py.
    Endpoint("blog post with 20 comments", fact("blog", "post_path")),
    Endpoint(
        "blog post with 20 comments, signed in",
        fact("blog", "post_path"),
        audience=SHOPPER,
        target_ratio=0.50,
    ),
    Endpoint(
        "post a comment (POST)",
        fact("blog", "comment_path"),
        method="POST",
        body="body=Thank+you%2C+this+was+useful.",
        htmx=True,
    ),
    # The admin's first page for staff, read afresh from 100,000 orders on every request: what
    # a cache miss costs, which staff meet at most once a minute (loadtest/volumes/dashboard.py).
    # Two at a time, one per worker: 16 would queue for seconds, and keep both workers busy
    # into the next /healthz run.
    Endpoint(
        "dashboard, 100k orders",
        fact("dashboard", "dashboard_path"),
        audience=STAFF,
        p99_limit=DASHBOARD_P99_MS,
        connections=2,
    ),
]

# The scale check: these run again against a catalog of 100 products.
SCALE_ENDPOINTS = ["catalog page 1", "catalog search (HTMX partial)"]
