"""The soak test: minutes of mixed traffic from simulated shoppers, then the books are checked.

It runs docs/deploy.md's configuration on one machine, loopback only: PostgreSQL, Redis as the
shared cache, gunicorn with several workers (standing in for several web hosts), two task
workers, and an SMTP server of its own that keeps what it receives. Twenty shoppers browse,
search, poll stock, fill carts, place and confirm orders and comment, each in a thread of its
own with its own cookies. Afterwards it reports:

- every response's status: any 5xx fails the soak;
- oversell: for every product, stock at the start - stock at the end - units in the orders
  confirmed during the soak, which must be 0 (and no stock below zero);
- lost notifications: every comment that should notify its post's author must have reached the
  SMTP server exactly once;
- the web workers' memory (resident set) at the start and the end.
"""

import contextlib
import json
import logging
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from aiosmtpd.controller import Controller
from django.conf import settings

from .databases import BenchDatabase
from .server import HOST, MANAGE, Server, fetch, manage, production_env, sign_in

SHOPPERS = 20
WEB_WORKERS = 4
TASK_WORKERS = 2
SEARCH_WORDS = ["walnut", "enamel", "linen", "mug", "bowl", "copper", "throw", "oak basket"]
ADDRESS = {
    "shipping_name": "Soak Shopper",
    "address_line1": "1 Loopback Lane",
    "address_line2": "",
    "city": "Localhost",
    "postal_code": "127 001",
    "country": "GB",
}


class Mailbox:
    """aiosmtpd handler: how often each outbox mail arrived, by the pk in its Message-ID."""

    def __init__(self):
        self.received: Counter[int] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=default_policy)
        # storefront.models.OutboundEmail.message_id: <outbound-PK.TIMESTAMP@host>
        outbound = re.match(r"<outbound-(\d+)\.", message["Message-ID"] or "")
        with self.lock:
            self.received[int(outbound[1]) if outbound else 0] += 1
        return "250 OK"


@dataclass
class Tally:
    """What the shoppers saw, shared by their threads."""

    statuses: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, status: int, path: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.actions[action] += 1
            if status >= 500 and len(self.failures) < 20:
                self.failures.append(f"{status} {action} {path}")


class Shopper:
    """One simulated shopper: a signed-in session and a random walk through the shop."""

    def __init__(self, base_url: str, username: str, password: str, facts: dict, seed: int):
        self.base_url = base_url
        self.rng = random.Random(seed)
        session = sign_in(base_url, username, password)
        self.cookie, self.csrf = session.cookie, session.csrf
        self.facts = facts
        self.last_comment = 0.0

    def _request(self, tally: Tally, action: str, method: str, path: str, **data):
        headers = {"Cookie": self.cookie, "HX-Request": "true"}
        body = None
        if method == "POST":
            headers |= {
                "X-CSRFToken": self.csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = urlencode(data)
        if action in ("page", "product", "place order"):
            del headers["HX-Request"]  # whole pages and plain form posts
        answer = fetch(self.base_url, method, path, headers=headers, body=body)
        tally.record(action, answer.status, path)
        return answer

    def step(self, tally: Tally) -> None:
        catalog, blog = self.facts["catalog"], self.facts["blog"]
        roll = self.rng.random()
        if roll < 0.25:
            page = self.rng.randint(1, 20)
            self._request(tally, "page", "GET", f"{catalog['list_path']}?page={page}")
        elif roll < 0.40:
            query = urlencode({"q": self.rng.choice(SEARCH_WORDS)})
            self._request(tally, "search", "GET", f"{catalog['list_path']}?{query}")
        elif roll < 0.50:
            self._request(tally, "product", "GET", catalog["detail_path"])
        elif roll < 0.60:
            self._request(tally, "stock poll", "GET", catalog["poll_path"])
        elif roll < 0.80:
            path = self.rng.choice(self.facts["soak"]["cart_add_paths"])
            self._request(tally, "add to cart", "POST", path, quantity=self.rng.randint(1, 2))
        elif roll < 0.92:
            self._order(tally)
        elif time.monotonic() - self.last_comment > 65:  # well inside the comment rate limit
            self.last_comment = time.monotonic()
            path = self.rng.choice(self.facts["soak"]["comment_paths"])
            text = f"Soak comment {self.rng.randint(1, 10**9)}: still here, still reading."
            self._request(tally, "comment", "POST", path, body=text)
        else:
            self._request(tally, "blog post", "GET", blog["post_path"])

    def _order(self, tally: Tally) -> None:
        placed = self._request(tally, "place order", "POST", "/checkout/", **ADDRESS)
        order = re.match(r"/orders/(\d+)/$", placed.headers.get("Location", ""))
        if placed.status == 302 and order:
            self._request(tally, "confirm", "POST", f"/orders/{order[1]}/confirm/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _rss_kib(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            sizes[pid] = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)[1])
    return sizes


def _gunicorn_workers(master_pid: int) -> list[int]:
    """The pids of the gunicorn master's worker processes."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The parent pid is the 2nd field after the command name, which may hold spaces.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master_pid:
                workers.append(int(stat.parent.name))
    return workers


def _soak_facts(url: str) -> dict:
    """Products with plenty of stock for carts, and posts to comment on, from the database."""
    with psycopg.connect(url) as connection:
        products = connection.execute(
            "SELECT id FROM catalog_product WHERE quantity > 0 ORDER BY id LIMIT 40"
        ).fetchall()
        posts = connection.execute("SELECT slug FROM blog_post ORDER BY id").fetchall()
    return {
        "cart_add_paths": [f"/cart/add/{pk}/" for (pk,) in products],
        "comment_paths": [f"/blog/{slug}/comments/" for (slug,) in posts],
    }


def _books(url: str, started_at) -> dict:
    """The checks, straight from the database after the run."""
    with psycopg.connect(url) as connection:
        stock = dict(connection.execute("SELECT id, quantity FROM catalog_product").fetchall())
        sold = dict(
            connection.execute(
                """
                SELECT line.product_id, SUM(line.quantity)
                FROM checkout_orderline line JOIN checkout_order o ON o.id = line.order_id
                WHERE o.confirmed_at >= %s AND o.status = 'confirmed'
                GROUP BY line.product_id
                """,
                [started_at],
            ).fetchall()
        )
        confirmed = connection.execute(
            "SELECT COUNT(*) FROM checkout_order WHERE confirmed_at >= %s", [started_at]
        ).fetchone()[0]
        # The mail the soak's events owe, and the outbox rows that carry it: a comment that
        # should notify its post's author, an order confirmed by a customer with an address.
        expected = {}
        for kind, owed in {
            "comment": """
                SELECT 'blog.comment.' || c.id || '.notify-author' FROM blog_comment c
                JOIN blog_post p ON p.id = c.post_id
                JOIN accounts_user author ON author.id = p.author_id
                WHERE c.created_at >= %s AND c.author_id <> p.author_id AND author.email <> ''
            """,
            "order": """
                SELECT 'checkout.order.' || o.id || '.confirmed' FROM checkout_order o
                JOIN accounts_user u ON u.id = o.customer_id
                WHERE o.confirmed_at >= %s AND u.email <> ''
            """,
        }.items():
            keys = [key for (key,) in connection.execute(owed, [started_at]).fetchall()]
            rows = dict(
                connection.execute(
                    "SELECT key, id FROM storefront_outboundemail WHERE key = ANY(%s)", [keys]
                ).fetchall()
            )
            expected[kind] = {key: rows.get(key) for key in keys}
        comments = connection.execute(
            "SELECT COUNT(*) FROM blog_comment WHERE created_at >= %s", [started_at]
        ).fetchone()[0]
    return {
        "stock": stock,
        "sold": sold,
        "confirmed": confirmed,
        "expected": expected,
        "comments": comments,
    }


def _wait_for_mail(url: str, started_at, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with psycopg.connect(url) as connection:
            waiting = connection.execute(
                """
                SELECT COUNT(*) FROM storefront_outboundemail
                WHERE status IN ('pending', 'sending') AND created_at >= %s
                """,
                [started_at],
            ).fetchone()[0]
        if not waiting:
            return
        time.sleep(1)


def soak(*, database_url: str, cache_url: str, port: int, seconds: int, say) -> dict:
    """Run the soak and return its figures; the caller judges and prints them."""
    database = BenchDatabase.beside(database_url, "bench_soak")  # bench_data fills only these
    if database.engine != "postgresql":
        raise ValueError("The soak test runs on PostgreSQL: set DATABASE_URL=postgres://...")
    workdir = Path(settings.BASE_DIR) / ".bench" / "soak"
    workdir.mkdir(parents=True, exist_ok=True)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname=HOST, port=_free_port())
    # aiosmtpd narrates every SMTP exchange at INFO level.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    smtp.start()
    processes: list[subprocess.Popen] = []
    env = production_env(
        database_url=database.url, static_root=workdir / "static", secret_key=os.urandom(24).hex()
    ) | {
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": f"soak-{os.getpid()}",
        "EMAIL_URL": f"smtp://{HOST}:{smtp.port}",
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        # Real limits: the shoppers behave (a comment a minute at most), sign-ins all succeed.
        "RATE_LIMITS_ENABLED": "true",
    }
    try:
        say(f"Building {database.name} on PostgreSQL")
        database.create()
        manage("migrate", "--noinput", env=env)
        facts_file = workdir / "facts.json"
        manage("bench_data", "build", "--scale=0.1", f"--facts={facts_file}", env=env)
        facts = json.loads(facts_file.read_text()) | {"soak": _soak_facts(database.url)}
        manage("collectstatic", "--noinput", "--verbosity=0", env=env)
        for number in range(TASK_WORKERS):
            processes.append(
                subprocess.Popen(
                    [*MANAGE, "db_worker", "--no-reload", f"--worker-id=soak-{number}"],
                    env=env,
                    cwd=settings.BASE_DIR,
                    stdout=subprocess.DEVNULL,
                    stderr=(workdir / f"worker-{number}.log").open("w"),
                    start_new_session=True,
                )
            )
        server = Server(port=port, env=env, log_path=workdir / "gunicorn.log", workers=WEB_WORKERS)
        with server:
            say(f"gunicorn ({WEB_WORKERS} workers), {TASK_WORKERS} task workers, Redis cache")
            accounts = facts["accounts"]
            usernames = [f"bench-shopper-{number:03d}" for number in range(SHOPPERS)]
            shoppers = [
                Shopper(server.url, name, accounts["password"], facts, seed)
                for seed, name in enumerate(usernames)
            ]
            workers = _gunicorn_workers(server.process.pid)
            # Warm up (imports, caches, connections) before the memory baseline is taken.
            warm = Tally()
            for shopper in shoppers:
                for _ in range(10):
                    shopper.step(warm)
            with psycopg.connect(database.url) as connection:
                started_at = connection.execute("SELECT now()").fetchone()[0]
                stock_at_start = dict(
                    connection.execute("SELECT id, quantity FROM catalog_product").fetchall()
                )
            rss_start = _rss_kib(workers)
            say(f"{SHOPPERS} shoppers for {seconds} s")
            tally = Tally()
            deadline = time.monotonic() + seconds

            def walk(shopper: Shopper) -> None:
                while time.monotonic() < deadline:
                    try:
                        shopper.step(tally)
                    except OSError as error:  # a refused or broken connection
                        tally.record(f"connection: {error.__class__.__name__}", 599, "")

            threads = [threading.Thread(target=walk, args=(shopper,)) for shopper in shoppers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rss_end = _rss_kib(workers)
            say("Waiting for the task workers to send the last notifications")
            _wait_for_mail(database.url, started_at, timeout=60)
        books = _books(database.url, started_at)
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
            process.wait(timeout=15)
        smtp.stop()
        database.drop()

    oversold = {
        pk: stock_at_start[pk] - books["stock"][pk] - books["sold"].get(pk, 0)
        for pk in stock_at_start
        if stock_at_start[pk] - books["stock"][pk] != books["sold"].get(pk, 0)
    }
    mail = {}
    for kind, owed in books["expected"].items():
        arrivals = [mailbox.received.get(pk, 0) if pk else 0 for pk in owed.values()]
        mail[kind] = {
            "owed": len(owed),
            "delivered once": arrivals.count(1),
            "lost": arrivals.count(0),
            "repeated": sum(1 for n in arrivals if n > 1),
        }
    return {
        "seconds": seconds,
        "requests": sum(tally.statuses.values()),
        "statuses": dict(sorted(tally.statuses.items())),
        "actions": dict(tally.actions),
        "server_errors": sum(n for status, n in tally.statuses.items() if status >= 500),
        "failures": tally.failures,
        "orders_confirmed": books["confirmed"],
        "units_confirmed": sum(books["sold"].values()),
        "oversold_products": oversold,
        "negative_stock": [pk for pk, quantity in books["stock"].items() if quantity < 0],
        "comments": books["comments"],
        "mail": mail,
        "rss_start_mib": sum(rss_start.values()) / 1024,
        "rss_end_mib": sum(rss_end.values()) / 1024,
        "python": sys.version.split()[0],
    }
