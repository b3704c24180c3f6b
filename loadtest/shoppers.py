"""The soak's simulated shoppers: a locustfile, run headless by loadtest/soak.py.

Each locust user is one signed-in shopper (the benchmark's `bench-shopper-NNN` accounts) on a
random walk through the shop: catalog pages, searches, product pages, stock polls, adding to
the cart, placing orders and paying for them by card (on the soak's local Stripe, whose webhook
then confirms them), reading and commenting on the blog, in the mix below.
Paths come from named URLs and from the facts the harness read from the soak's database
(SOAK_FACTS, a JSON file); the shop's answers are counted by status and action and written to
SOAK_TALLY when locust stops, for the harness to judge. Only a 5xx or a broken connection is a
failure: a refused payment or a full cart line (422) is the shop working.
"""

import itertools
import json
import os
import random
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import django
from locust import HttpUser, constant, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after django.setup())
from django.urls import resolve, reverse  # noqa: E402

FACTS = json.loads(Path(os.environ["SOAK_FACTS"]).read_text())
SEARCH_WORDS = ["walnut", "enamel", "linen", "mug", "bowl", "copper", "throw", "oak basket"]
ADDRESS = {
    "shipping_name": "Soak Shopper",
    "address_line1": "1 Loopback Lane",
    "address_line2": "",
    "city": "Localhost",
    "postal_code": "127 001",
    "country": "GB",
}
# Well inside the comment rate limit (the soak runs with the real limits on).
SECONDS_BETWEEN_COMMENTS = 65
# Stripe's test card that is approved (the sandbox's too).
APPROVED_CARD = "4242 4242 4242 4242"

_usernames = iter(FACTS["accounts"]["shoppers"])
_seeds = itertools.count()
_lock = threading.Lock()
statuses: Counter[int] = Counter()
actions: Counter[str] = Counter()
failures: list[str] = []


@events.request.add_listener
def _count(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0  # 0: no answer (a broken connection)
    with _lock:
        statuses[status] += 1
        actions[name] += 1
        if (status == 0 or status >= 500) and len(failures) < 20:
            failures.append(f"{status or exception!r} {name} {request_type}")


@events.quitting.add_listener
def _write_tally(environment, **kwargs):
    tally = {"statuses": statuses, "actions": actions, "failures": failures}
    Path(os.environ["SOAK_TALLY"]).write_text(json.dumps(tally))


class Shopper(HttpUser):
    """One shopper, signed in through the real form, as fast as the shop answers."""

    wait_time = constant(0)

    def on_start(self):
        with _lock:
            username = next(_usernames)
            self.rng = random.Random(next(_seeds))
        self.last_comment = 0.0
        login = reverse("login")
        self.client.get(login, name="sign in")  # sets the CSRF cookie
        self.client.post(
            login,
            {
                "username": username,
                "password": FACTS["accounts"]["password"],
                "csrfmiddlewaretoken": self.client.cookies[settings.CSRF_COOKIE_NAME],
            },
            allow_redirects=False,
            name="sign in",
        )

    def _send(self, action: str, verb: str, path: str, *, htmx: bool = True, **form):
        headers = {"HX-Request": "true"} if htmx else {}
        if verb == "POST":
            headers["X-CSRFToken"] = self.client.cookies[settings.CSRF_COOKIE_NAME]
        with self.client.request(
            verb,
            path,
            data=form or None,
            headers=headers,
            name=action,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # 4xx answers are the shop refusing politely (sold out, rate limited): not failures.
            if answer.status_code >= 500 or answer.status_code == 0:
                answer.failure(f"{answer.status_code} {verb} {path}")
            else:
                answer.success()
            return answer

    @task(25)
    def browse(self):
        page = self.rng.randint(1, 20)
        self._send("page", "GET", f"{FACTS['catalog']['list_path']}?page={page}", htmx=False)

    @task(15)
    def search(self):
        self._send("search", "GET", FACTS["catalog"]["list_path"] + "?q=" + self._word())

    @task(10)
    def product(self):
        self._send("product", "GET", FACTS["catalog"]["detail_path"], htmx=False)

    @task(10)
    def poll_stock(self):
        self._send("stock poll", "GET", FACTS["catalog"]["poll_path"])

    @task(20)
    def add_to_cart(self):
        path = self.rng.choice(FACTS["soak"]["cart_add_paths"])
        self._send("add to cart", "POST", path, quantity=self.rng.randint(1, 2))

    @task(12)
    def order(self):
        placed = self._send(
            "place order", "POST", reverse("checkout:checkout"), htmx=False, **ADDRESS
        )
        location = urlsplit(placed.headers.get("Location", "")).path
        if placed.status_code != 302 or not location:
            return  # an empty cart, or an address refused: nothing to pay for
        match = resolve(location)
        if match.view_name == "checkout:order_detail":
            self._pay(match.kwargs["pk"])

    def _pay(self, order_pk: int):
        """Pay by card: the shop sends the shopper to the provider's page (the soak's local
        Stripe), the card is approved there, and the shopper comes back to the shop, which
        asks the provider (its webhook, meanwhile, confirms the order)."""
        path = reverse("payments:pay", kwargs={"order_pk": order_pk})
        started = self._send("pay", "POST", path, htmx=False, method="card")
        page = started.headers.get("Location", "")
        if started.status_code != 302 or not page.startswith("http"):
            return  # refused, or card payments unreachable: said on the order page
        paid = self._send("card page", "POST", page, htmx=False, card_number=APPROVED_CARD)
        back = urlsplit(paid.headers.get("Location", "")).path
        if paid.status_code == 303 and back:
            self._send("back from paying", "GET", back, htmx=False)

    @task(8)
    def blog(self):
        if time.monotonic() - self.last_comment > SECONDS_BETWEEN_COMMENTS:
            self.last_comment = time.monotonic()
            path = self.rng.choice(FACTS["soak"]["comment_paths"])
            text = f"Soak comment {self.rng.randint(1, 10**9)}: still here, still reading."
            self._send("comment", "POST", path, body=text)
        else:
            self._send("blog post", "GET", FACTS["blog"]["post_path"], htmx=False)

    def _word(self) -> str:
        return self.rng.choice(SEARCH_WORDS).replace(" ", "+")
