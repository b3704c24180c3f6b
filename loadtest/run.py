"""`make bench` from start to finish (called by `python -m loadtest bench`).

1. Make two benchmark databases next to DATABASE_URL's (loadtest/databases.py):
   the full volume, and a 100-product one for the scale check. Migrate and fill each through
   `python -m loadtest data build`, with DATABASE_URL pointing at it.
2. Collect the static files into a temporary STATIC_ROOT and start the production
   configuration on two loopback ports, one server per database.
3. Sign the shoppers in through the real form; measure every endpoint in rounds against
   /healthz (loadtest/measure.py); count the confirmations' stock.
4. Stop the servers and drop the databases, whatever happened (an ExitStack unwinds on
   errors and Ctrl+C alike), and return the report.
"""

import json
import runpy
import secrets
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from storefront.environment import caches_from_url

from . import wrk
from .databases import BenchDatabase
from .endpoints import ENDPOINTS, SCALE_ENDPOINTS, STAFF, VISITOR_WITH_CART, MissingFacts
from .measure import Client, Measurement, ceiling, measure
from .report import Report
from .server import (
    Server,
    Session,
    loadtest,
    manage,
    production_env,
    sign_in,
    visitor,
    visitor_with_cart,
)

# The scale check's small catalog: 100 of the 10,000 products, and everything else scaled alike.
SMALL_SCALE = 0.01


@dataclass(frozen=True)
class Options:
    database_url: str | None
    command: str  # as the user typed it, for the report
    # Short runs, many rounds: on a shared machine others' work comes and goes within seconds,
    # and a median of 5 pairs shrugs off two bad ones.
    duration: int = 2  # seconds per wrk run
    rounds: int = 5
    port: int = 8200  # the full database's server; the small one's is the next port
    connections: int = 16
    threads: int = 2
    # gunicorn's workers, worker class and threads; None: gunicorn.conf.py's (what ships).
    workers: int | None = None
    worker_class: str | None = None
    gunicorn_threads: int | None = None
    keep: bool = False  # keep the databases afterwards (to profile by hand)
    # Measure only the endpoints whose names contain one of these (all when empty).
    only: tuple[str, ...] = ()

    def gunicorn(self) -> dict:
        """The gunicorn settings the servers run with: gunicorn.conf.py's, then these."""
        shipped = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
        chosen = {
            "workers": self.workers,
            "worker_class": self.worker_class,
            "threads": self.gunicorn_threads,
        }
        return {name: shipped[name] if value is None else value for name, value in chosen.items()}

    def chosen(self) -> list:
        return [e for e in ENDPOINTS if not self.only or any(o in e.name for o in self.only)]


def run(options: Options, say) -> Report:
    """Measure everything; `say(text)` reports progress as it goes."""
    return Benchmark(options, say).run()


class Benchmark:
    """One `make bench`: its databases, servers and measurements, cleaned up on any exit."""

    def __init__(self, options: Options, say):
        self.options = options
        self.say = say
        self.full = BenchDatabase.beside(options.database_url, "bench")
        self.small = BenchDatabase.beside(options.database_url, "bench_small")
        self.logs = Path(settings.BASE_DIR) / ".bench"
        self.secret_key = secrets.token_urlsafe(50)

    def run(self) -> Report:
        started = time.monotonic()
        wrk.find_wrk()  # fail before spending half a minute on the databases
        self.logs.mkdir(exist_ok=True)
        # Unwound in reverse on success, error or Ctrl+C: servers stop, then databases go.
        self.cleanup = ExitStack()
        with self.cleanup:
            self.workdir = Path(
                self.cleanup.enter_context(tempfile.TemporaryDirectory(prefix="sf-bench-"))
            )
            facts_file = self.build(self.full, scale=1.0)
            facts = json.loads(facts_file.read_text())
            small_facts = json.loads(self.build(self.small, scale=SMALL_SCALE).read_text())

            self.say("Collecting static files; starting gunicorn")
            manage("collectstatic", "--noinput", "--verbosity=0", env=self.environment(self.full))
            url = self.serve(self.full, port=self.options.port)
            small_url = self.serve(self.small, port=self.options.port + 1)

            endpoints = self.options.chosen()
            shoppers = self.sign_in(url, facts["accounts"])
            visitors = []
            if any(endpoint.audience == VISITOR_WITH_CART for endpoint in endpoints):
                visitors = self.visitors_with_cart(url, facts, count=len(shoppers))
            staff = []
            if any(endpoint.audience == STAFF for endpoint in endpoints):
                staff = self.staff(url, facts)
            client = self.client(url, shoppers, visitors, staff)
            measurements, skipped = [], {}
            for endpoint in endpoints:
                try:
                    measurement = measure(client, endpoint, facts, rounds=self.options.rounds)
                except MissingFacts as missing:
                    skipped[endpoint.name] = str(missing)
                    self.say(f"  {endpoint.name}: skipped, {missing}")
                    continue
                if endpoint.check_oversell:
                    tally = loadtest(
                        *("data", "tally", f"--facts={facts_file}"),
                        env=self.environment(self.full),
                    )
                    measurement.tally = json.loads(tally)
                self.say(_progress(measurement))
                measurements.append(measurement)

            scale = self.scale_check(small_url, small_facts, measurements)
            database_version = self.full.version()

        return Report(
            engine=self.full.engine,
            database_version=database_version,
            command=self.options.command,
            settings=self.describe_load(),
            ceiling=ceiling(measurements),
            measurements=measurements,
            skipped=skipped,
            scale=scale,
            wall_time_s=time.monotonic() - started,
            load_generator=wrk.version(),
        )

    def environment(self, database: BenchDatabase) -> dict[str, str]:
        env = production_env(
            database_url=database.url,
            static_root=self.workdir / "static",
            secret_key=self.secret_key,
        )
        # Each database gets a cache of its own, new for this run: a page cached from another
        # database must never be served. In a cache the caller chose (CACHE_URL=redis://...),
        # a key prefix of this run's and this database's sets it apart.
        name = Path(database.name).stem
        env.setdefault("CACHE_URL", f"diskcache://{self.workdir / 'cache' / name}")
        env["CACHE_KEY_PREFIX"] = f"bench-{self.secret_key[:8]}-{name}"
        return env

    def build(self, database: BenchDatabase, *, scale: float) -> Path:
        """Create, migrate and fill `database`; the file holding the apps' facts."""
        self.say(f"Building {database.name} ({database.label}, scale {scale:g})")
        database.create()
        if not self.options.keep:
            self.cleanup.callback(database.drop)
        facts_file = self.workdir / f"facts-{scale:g}.json"
        manage("migrate", "--noinput", env=self.environment(database))
        built = loadtest(
            *("data", "build", f"--scale={scale}", f"--facts={facts_file}"),
            env=self.environment(database),
        )
        self.say(built.rstrip())
        return facts_file

    def serve(self, database: BenchDatabase, *, port: int) -> str:
        """Start gunicorn on `database` (stopped by the cleanup); its base URL."""
        server = Server(
            port=port,
            env=self.environment(database),
            log_path=self.logs / f"gunicorn-{port}.log",
            workers=self.options.workers,
            worker_class=self.options.worker_class,
            threads=self.options.gunicorn_threads,
        )
        return self.cleanup.enter_context(server).url

    def sign_in(self, url: str, accounts: dict) -> list[Session]:
        self.say(f"Signing in {len(accounts['shoppers'])} shoppers")
        # As many at a time as the server has workers: a sign-in is a deliberately slow hash.
        with ThreadPoolExecutor(max_workers=self.options.gunicorn()["workers"]) as pool:
            return list(
                pool.map(
                    lambda username: sign_in(url, username, accounts["password"]),
                    accounts["shoppers"],
                )
            )

    def visitors_with_cart(self, url: str, facts: dict, *, count: int) -> list[Session]:
        """`count` visitors, each with a unit of one of the cart products in a cart."""
        self.say(f"Filling {count} visitors' carts")
        paths = facts.get("checkout", {}).get("cart_add_paths")
        if not paths:
            return []  # no checkout volume: the rows that need them are skipped
        return [visitor_with_cart(url, paths[number % len(paths)]) for number in range(count)]

    def staff(self, url: str, facts: dict) -> list[Session]:
        """The dashboard volume's member of staff, signed in (none without that volume)."""
        dashboard = facts.get("dashboard")
        if not dashboard:
            return []  # the rows that need them are skipped
        self.say("Signing in the member of staff")
        return [sign_in(url, dashboard["staff"], dashboard["password"])]

    def client(
        self,
        url: str,
        shoppers: list[Session],
        visitors_with_cart: list[Session] = (),
        staff: list[Session] = (),
    ) -> Client:
        return Client(
            url,
            visitor(url),
            shoppers,
            list(visitors_with_cart),
            list(staff),
            duration=self.options.duration,
            connections=self.options.connections,
            threads=self.options.threads,
        )

    def scale_check(self, url: str, facts: dict, measurements: list[Measurement]) -> dict:
        """The SCALE_ENDPOINTS again with the small catalog: {name: (small, full)}."""
        self.say(f"Scale check: the catalog with {facts['catalog']['products']} products")
        client = self.client(url, shoppers=[])  # the scale check only reads
        scale = {}
        for full in measurements:
            if full.endpoint.name in SCALE_ENDPOINTS:
                small = measure(client, full.endpoint, facts, rounds=self.options.rounds)
                self.say(_progress(small))
                scale[full.endpoint.name] = (small, full)
        return scale

    def describe_load(self) -> str:
        options = self.options
        cache_url = self.environment(self.full)["CACHE_URL"]
        cache = caches_from_url(cache_url)["default"]["BACKEND"].rsplit(".", 1)[-1]
        return (
            f"gunicorn {_workers(options.gunicorn())}; wrk {options.threads} threads, "
            f"{options.connections} connections; {options.rounds} rounds of "
            f"(/healthz {options.duration} s, endpoint {options.duration} s); cache {cache}"
        )


def _workers(gunicorn: dict) -> str:
    """ "2 sync workers", "2 gthread workers of 4 threads"."""
    text = f"{gunicorn['workers']} {gunicorn['worker_class']} workers"
    return text + (f" of {gunicorn['threads']} threads" if gunicorn["threads"] > 1 else "")


def _progress(measurement: Measurement) -> str:
    """One line per endpoint, with every round's req/s against its /healthz run."""
    rounds = ", ".join(
        f"{result.rps:.0f}/{ceiling.rps:.0f}"
        for result, ceiling in zip(measurement.results, measurement.ceilings, strict=True)
    )
    return (
        f"  {measurement.endpoint.name}: ratio {measurement.ratio:.2f} (req/s against "
        f"/healthz: {rounds}), p99 {measurement.p99_ms:.1f} ms, {measurement.errors} errors"
    )
