"""The soak test: minutes of mixed traffic from simulated shoppers, then the books are checked.

It runs docs/deploy.md's configuration on one machine, loopback only: PostgreSQL, Redis as the
shared cache, gunicorn with several workers (standing in for several web hosts), two task
workers (`run_worker`), an SMTP server of its own that keeps what it receives, and a local
Stripe (stripe_sandbox) whose webhooks reach the shop. Twenty shoppers (loadtest/shoppers.py,
run by locust, headless) browse, search, poll stock, fill carts, place orders and pay for them
by card (the webhook confirms them, the task workers capture the money) and comment.
Afterwards it reports:

- every response's status: any 5xx fails the soak;
- oversell: for every product, stock at the start - stock at the end - units in the orders
  confirmed during the soak, which must be 0 (and no stock below zero);
- lost notifications: every comment that should notify its post's author, every order
  confirmation and every payment received must have reached the SMTP server exactly once;
- the web workers' memory (resident set) after a warm-up (the first 10 s) and at the end.

With faults (the default of `make soak`; `--no-faults` leaves them out), the soak runs a Redis
of its own instead of CACHE_URL's, and loadtest/chaos.py stops it for 20 s (it comes back
empty), SIGKILLs a gunicorn worker, SIGKILLs a task worker mid-send and starts it again, and
takes the SMTP server down for 30 s, and freezes Redis for 2 s while shoppers sign out and
change passwords (then reloads the web workers), while the shoppers shop. The books must still
balance, and no ended session may be answered as signed in (`resurrected_sessions`):
a broken connection is counted apart from the 5xx (only the killed web worker's in-flight
requests may get one), and every mail must arrive exactly once.

The figures go to figures.json and locust's HTML report (charts of requests a second, response
times and users) to locust.html, side by side in the output directory (.bench/soak/).
"""

import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.urls import reverse

from .chaos import Chaos, OwnRedis, Trap
from .databases import BenchDatabase
from .server import HOST, MANAGE, WEBHOOK_SECRET, Server, loadtest, manage, production_env

SHOPPERS = 20
WEB_WORKERS = 4
TASK_WORKERS = 2
# Imports, caches and connections warm up before the memory baseline is taken.
WARM_UP_SECONDS = 10
LOCUSTFILE = Path(__file__).with_name("shoppers.py")
# The key the soak's local Stripe takes.
SANDBOX_KEY = "sk_test_soak"


class Mailbox:
    """aiosmtpd handler: how often each outbox mail arrived, by the pk in its Message-ID.

    With a `Trap` (loadtest/chaos.py), a message may be held before it is accepted, while the
    worker sending it is killed, and then refused: it never arrived.
    """

    def __init__(self, trap: Trap | None = None):
        self.received: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.trap = trap

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.trap is not None and await asyncio.to_thread(self.trap.waylay, session.peer[1]):
            return "451 Requested action aborted: try again later"
        message = message_from_bytes(envelope.content, policy=default_policy)
        # outbox.models.OutboundEmail.message_id: <outbound-PK.TIMESTAMP@host>
        outbound = re.match(r"<outbound-(\d+)\.", message["Message-ID"] or "")
        with self.lock:
            self.received[int(outbound[1]) if outbound else 0] += 1
        return "250 OK"


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


def _read(action: str, *args: str, env: dict) -> object:
    """One of `python -m loadtest data <action>`'s JSON answers, from the soak's database."""
    return json.loads(loadtest("data", action, *args, env=env))


def _cache_ok(url: str) -> bool:
    """Whether the web workers' /readyz says the cache answers (one worker's view)."""
    with urllib.request.urlopen(f"{url}/readyz", timeout=5) as answer:
        return json.loads(answer.read())["cache"] == "ok"


def _start_sandbox(*, port: int, webhook: str, log: Path) -> subprocess.Popen:
    """The soak's local Stripe on `port`, posting its webhooks to `webhook`, once it answers."""
    sandbox = subprocess.Popen(
        [
            *(sys.executable, "-m", "stripe_sandbox", f"--port={port}"),
            *(f"--api-key={SANDBOX_KEY}", f"--webhook={webhook}"),
            f"--webhook-secret={WEBHOOK_SECRET}",
        ],
        cwd=settings.BASE_DIR,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while sandbox.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return sandbox
        time.sleep(0.1)
    raise RuntimeError(f"The Stripe sandbox did not start; see {log}")


def _wait_for_mail(env: dict, since: datetime, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _read("mail-waiting", f"--since={since.isoformat()}", env=env):
            return
        time.sleep(1)


def soak(
    *,
    database_url: str,
    cache_url: str,
    port: int,
    seconds: int,
    output: Path,
    say,
    faults: bool = False,
) -> dict:
    """Run the soak and return its figures; the caller judges, prints and saves them."""
    database = BenchDatabase.beside(database_url, "bench_soak")  # `data` fills only these
    if database.engine != "postgresql":
        raise ValueError("The soak test runs on PostgreSQL: set DATABASE_URL=postgres://...")
    output.mkdir(parents=True, exist_ok=True)
    trap = Trap() if faults else None
    mailbox = Mailbox(trap)
    smtp_port = _free_port()
    smtp = Controller(mailbox, hostname=HOST, port=smtp_port)
    # aiosmtpd narrates every SMTP exchange at INFO level.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    smtp.start()
    processes: list[subprocess.Popen] = []
    task_workers: list[subprocess.Popen] = []
    sandbox_port = _free_port()
    redis = None
    if faults:
        # A Redis of the soak's own, to stop and start: never the machine's.
        redis = OwnRedis(output / "redis")
        redis.start()
        cache_url = redis.url
    env = production_env(
        database_url=database.url, static_root=output / "static", secret_key=os.urandom(24).hex()
    ) | {
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": f"soak-{os.getpid()}",
        "EMAIL_URL": f"smtp://{HOST}:{smtp.port}",
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        # Real limits: the shoppers behave (a comment a minute at most), sign-ins all succeed.
        "RATE_LIMITS_ENABLED": "true",
        # Cards are paid on the soak's local Stripe (a trial: production_env says so).
        "STRIPE_API_BASE": f"http://{HOST}:{sandbox_port}",
        "STRIPE_SECRET_KEY": SANDBOX_KEY,
    }
    if faults:
        # The killed task worker's mail is taken over when its claim expires and found by the
        # recovery round: 30 s each, so that happens within the soak rather than in 10 minutes.
        env |= {"OUTBOX_CLAIM_LEASE_SECONDS": "30", "OUTBOX_RECOVERY_INTERVAL_SECONDS": "30"}
    chaos = None
    try:
        say(f"Building {database.name} on PostgreSQL")
        database.create()
        manage("migrate", "--noinput", env=env)
        facts_file = output / "facts.json"
        loadtest("data", "build", "--scale=0.1", f"--facts={facts_file}", env=env)
        facts = json.loads(facts_file.read_text()) | {"soak": _read("soak-facts", env=env)}
        facts["accounts"]["shoppers"] = facts["accounts"]["usernames"][:SHOPPERS]
        facts_file.write_text(json.dumps(facts))
        manage("collectstatic", "--noinput", "--verbosity=0", env=env)

        def start_task_worker(number: int) -> subprocess.Popen:
            return subprocess.Popen(
                [*MANAGE, "run_worker", "--no-reload", f"--worker-id=soak-{number}"],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=(output / f"worker-{number}.log").open("a"),
                start_new_session=True,
            )

        processes.append(
            _start_sandbox(
                port=sandbox_port,
                webhook=f"http://{HOST}:{port}{reverse('payments:stripe_webhook')}",
                log=output / "stripe-sandbox.log",
            )
        )
        # Filled in place: the chaos replaces a killed worker in this same list.
        task_workers.extend(start_task_worker(number) for number in range(TASK_WORKERS))
        server = Server(port=port, env=env, log_path=output / "gunicorn.log", workers=WEB_WORKERS)
        with server:
            say(f"gunicorn ({WEB_WORKERS} workers), {TASK_WORKERS} task workers, Redis cache")
            workers = _gunicorn_workers(server.process.pid)
            started_at = datetime.now(UTC)  # the database runs on this machine, on this clock
            stock_at_start = {int(pk): n for pk, n in _read("stock", env=env).items()}
            tally_file = output / "tally.json"
            say(f"{SHOPPERS} shoppers (locust) for {seconds} s")
            shoppers = subprocess.Popen(
                [
                    *(sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE)),
                    *("--headless", "--host", server.url, "--only-summary"),
                    f"--users={SHOPPERS}",
                    f"--spawn-rate={SHOPPERS}",
                    f"--run-time={seconds}s",
                    f"--html={output / 'locust.html'}",
                    "--loglevel=WARNING",
                ],
                env=env | {"SOAK_FACTS": str(facts_file), "SOAK_TALLY": str(tally_file)},
                cwd=settings.BASE_DIR,
                stdout=(output / "locust.log").open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(shoppers)
            time.sleep(min(WARM_UP_SECONDS, seconds / 6))
            rss_start = _rss_kib(workers)
            if faults:
                smtp_box = {"controller": smtp}

                def smtp_stop():
                    smtp_box["controller"].stop()

                def smtp_start():
                    smtp_box["controller"] = Controller(mailbox, hostname=HOST, port=smtp_port)
                    smtp_box["controller"].start()

                chaos = Chaos(
                    redis=redis,
                    gunicorn_master=lambda: server.process.pid,
                    web_workers=WEB_WORKERS,
                    task_workers=task_workers,
                    restart_task_worker=start_task_worker,
                    trap=trap,
                    smtp_stop=smtp_stop,
                    smtp_start=smtp_start,
                    cache_ok=lambda: _cache_ok(server.url),
                    say=say,
                    base_url=server.url,
                    reload_web=server.reload,
                )
                chaos.start()
            # Its own exit status says "there were failures": the harness judges from the tally.
            shoppers.wait(timeout=seconds + 120)
            if chaos is not None:
                chaos.join(timeout=150)
                chaos.stop()
                smtp = smtp_box["controller"]
            # The workers at the end: with faults, the killed one's replacement among them.
            rss_end = _rss_kib(_gunicorn_workers(server.process.pid))
            if not tally_file.exists():
                raise RuntimeError(f"locust stopped without a tally; see {output / 'locust.log'}")
            tally = json.loads(tally_file.read_text())
            say("Waiting for the task workers to send the last notifications")
            # With faults, mail refused during the SMTP outage waits for its retry (1 minute).
            _wait_for_mail(env, started_at, timeout=240 if faults else 60)
        books = _read("books", f"--since={started_at.isoformat()}", env=env)
    finally:
        if chaos is not None:
            chaos.stop()
        for process in [*processes, *task_workers]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
            process.wait(timeout=15)
        with contextlib.suppress(Exception):  # already stopped if a fault was cut short
            smtp.stop()
        if redis is not None:
            redis.stop()
        database.drop()

    stock = {int(pk): n for pk, n in books["stock"].items()}
    sold = {int(pk): n for pk, n in books["sold"].items()}
    oversold = {
        pk: stock_at_start[pk] - stock[pk] - sold.get(pk, 0)
        for pk in stock_at_start
        if stock_at_start[pk] - stock[pk] != sold.get(pk, 0)
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
    statuses = {int(status): n for status, n in tally["statuses"].items()}
    return {
        "date": f"{started_at:%Y-%m-%d %H:%M} UTC",
        "seconds": seconds,
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "actions": tally["actions"],
        # A broken connection (status 0): the shopper got no answer. Without faults it counts
        # with the 5xx; with them it is counted apart, since SIGKILLing a web worker breaks the
        # connection of the request it was answering (the judge allows one per shopper).
        "server_errors": sum(
            n for status, n in statuses.items() if status >= 500 or (not status and not faults)
        ),
        "connection_resets": statuses.get(0, 0) if faults else 0,
        "faults": [vars(fault) for fault in chaos.faults] if chaos is not None else [],
        "faults_planned": 5 if faults else 0,
        "resurrected_sessions": chaos.resurrected if chaos is not None else 0,
        "shoppers": SHOPPERS,
        "failures": tally["failures"],
        "orders_confirmed": books["confirmed"],
        "units_confirmed": sum(sold.values()),
        "oversold_products": oversold,
        "negative_stock": [pk for pk, quantity in stock.items() if quantity < 0],
        "comments": books["comments"],
        "mail": mail,
        "rss_start_mib": sum(rss_start.values()) / 1024,
        "rss_end_mib": sum(rss_end.values()) / 1024,
        "python": sys.version.split()[0],
    }
