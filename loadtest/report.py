"""The results as a Markdown section: the table, the checks against the targets, and
the date, machine and command that produced them. Formatting and writing run nothing (no wrk):
what the run used is in the Report. `write` puts the section into
docs/benchmarks.md, replacing the previous run on the same database engine only.
"""

import os
import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import django

from .databases import ENGINES
from .measure import Measurement

# The limit on what the catalog may cost with 10,000 products against 100.
SCALE_LIMIT = 1.5

HEADER = """\
# Benchmarks

`make bench` measures the shop in its production configuration (DEBUG off, gunicorn as
`gunicorn.conf.py` ships it, WhiteNoise) on a loopback port, with wrk at 16 connections,
against a database of realistic volume built for the run: 10,000 products, 200 customers,
20,000 orders, the dashboard's orders up to 100,000 in all, and what else each app's volume
in `loadtest/volumes/` adds (see `loadtest/data.py`). It runs on SQLite by default, and on
PostgreSQL with `DATABASE_URL=postgres://…/name make bench` (in databases `name_bench` and
`name_bench_small` that it creates and drops).

How to read the tables:

- **req/s, p50, p99** are medians over the rounds. Absolute numbers drift on a shared machine.
- **ratio** is the endpoint's req/s divided by the req/s of `/healthz`, which touches no
  database and renders no template: Django's floor on this machine with this middleware. Every
  run of an endpoint follows a `/healthz` run, and the ratio is the median of those paired
  ratios, so it holds when the machine's speed wanders. 0.50 means the page costs twice the
  floor.
- **target**: catalog page, product detail and the signed-in blog post ≥ 0.50, for a visitor
  without a session, a signed-in shopper with items in the cart, and a visitor with a cart
  alike; stock poll answered 304 ≥ 0.80; add to cart ≥ 0.15; every GET p99 < 25 ms, but the
  staff's dashboard read afresh from 100,000 orders, p99 < 1 s. "Pay and confirm" (Stripe's
  signed webhook saying an order's money is held, which confirms the order and takes its
  stock) has no ratio target yet, only zero oversell.
- **who asks**: a row without a note is a visitor with a CSRF cookie and no session, the same
  request each time. "Signed in with a cart": the 16 signed-in shoppers in turn, each with two
  products in the cart. "Visitor with a cart": 16 visitors who added a product without signing
  in, in turn. POSTs are the signed-in shoppers', but the webhook's: no session, each event its
  own signed body. The dashboard: a signed-in member of staff, two requests at a time (one per
  worker), each reading it afresh (`/admin/?refresh`).
- **errors** are responses with another status than the endpoint must give (a 302 to the
  sign-in page, a 403 for CSRF, a 409 or 422 refusal...) and broken connections. A run with
  errors has measured something else than it meant to: `make bench` then exits non-zero.
- **oversell** is stock at start − stock left − units confirmed, over the "pay and confirm"
  endpoint's products: it must be 0.
- **scale** compares the catalog with 10,000 products against 100: the cost ratio is the
  ratio to `/healthz` with 100 products divided by the ratio with 10,000 (≤ 1.5).

Each database engine's section below is replaced by the next run on that engine.
"""


@dataclass
class Report:
    engine: str  # a key of ENGINES: picks the targets and the section of the file
    database_version: str
    command: str
    settings: str  # the load and server shape, one line
    ceiling: Measurement
    measurements: list[Measurement]
    skipped: dict[str, str] = field(default_factory=dict)  # endpoint name -> why
    # endpoint name -> (with 100 products, with 10,000)
    scale: dict[str, tuple[Measurement, Measurement]] = field(default_factory=dict)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The machine's 1-minute load average as the run began: others' work skews absolute figures.
    load_at_start: float = field(default_factory=lambda: os.getloadavg()[0])
    wall_time_s: float = 0.0
    load_generator: str = "wrk"  # its name and version, as the run found it (`wrk.version()`)

    @property
    def failed(self) -> bool:
        """Whether the measurement itself is wrong (errors, oversell), not merely slow."""
        small_catalog = [small for small, _ in self.scale.values()]
        every = [self.ceiling, *self.measurements, *small_catalog]
        return any(m.errors or _oversell(m) for m in every)


def _oversell(measurement: Measurement) -> int:
    return measurement.tally["oversell"] if measurement.tally else 0


def checks(measurement: Measurement, engine: str) -> list[tuple[str, bool | None]]:
    """(target, met) for each of the targets on this row; met is None where a target
    belongs to another database engine (a ratio that counts on PostgreSQL only)."""
    endpoint = measurement.endpoint
    found = []
    if endpoint.target_ratio is not None:
        text = f"ratio ≥ {endpoint.target_ratio:.2f}"
        if endpoint.target_engine in (None, engine):
            found.append((text, measurement.ratio >= endpoint.target_ratio))
        else:
            found.append((f"{text} on {ENGINES[endpoint.target_engine]}", None))
    if endpoint.p99_limit_ms is not None:
        limit = endpoint.p99_limit_ms
        found.append((f"p99 < {limit:.0f} ms", measurement.p99_ms < limit))
    if endpoint.check_oversell:
        found.append(("oversell 0", _oversell(measurement) == 0))
    return found


def _verdict(found: list[tuple[str, bool | None]]) -> str:
    applicable = [met for _, met in found if met is not None]
    if not applicable:
        return "—"
    return "yes" if all(applicable) else "**no**"


def _row(measurement: Measurement, engine: str, *, targets: bool = True) -> str:
    found = checks(measurement, engine) if targets else []
    target = ", ".join(text for text, _ in found) or "—"
    return (
        f"| {measurement.endpoint.name} | {measurement.rps:,.0f} | {measurement.p50_ms:.1f} "
        f"| {measurement.p99_ms:.1f} | {measurement.ratio:.2f} | {target} | {_verdict(found)} "
        f"| {measurement.errors} |"
    )


def as_markdown(report: Report) -> str:
    lines = [
        f"## {ENGINES[report.engine]}",
        "",
        f"- **Date**: {report.started:%Y-%m-%d %H:%M} UTC; `make bench` took "
        f"{report.wall_time_s:.0f} s in all",
        f"- **Machine**: {machine()}; load average {report.load_at_start:.1f} at the start",
        f"- **Software**: {software(report.load_generator)}, "
        f"{ENGINES[report.engine]} {report.database_version}",
        f"- **Load**: {report.settings}",
        f"- **Command**: `{report.command}`",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | ratio | target | met | errors |",
        "| --- | ---: | ---: | ---: | ---: | --- | :---: | ---: |",
        _row(report.ceiling, report.engine, targets=False),
        *(_row(m, report.engine) for m in report.measurements),
    ]
    for measurement in report.measurements:
        if measurement.tally:
            t = measurement.tally
            lines += [
                "",
                f"{measurement.endpoint.name}: {t['orders_confirmed']:,} orders confirmed "
                f"({t['units_confirmed']:,} units); stock of their products "
                f"{t['stock_at_start']:,} → {t['stock_left']:,}; **oversell {t['oversell']}**.",
            ]
        if measurement.exhausted:
            lines += [
                "",
                f"{measurement.endpoint.name}: the placed orders ran out "
                f"({measurement.exhausted} requests went nowhere); raise "
                "loadtest.volumes.checkout.CONFIRM_POOL.",
            ]
    if report.scale:
        lines += [
            "",
            f"Scale check (the cost ratio is at most {SCALE_LIMIT}× when the catalog scales):",
            "",
            "| endpoint | ratio, 100 products | ratio, 10,000 products | cost ratio | met |",
            "| --- | ---: | ---: | ---: | :---: |",
        ]
        for name, (small, large) in report.scale.items():
            cost = small.ratio / large.ratio
            met = "yes" if cost <= SCALE_LIMIT else "**no**"
            lines.append(
                f"| {name} | {small.ratio:.2f} | {large.ratio:.2f} | {cost:.2f}× | {met} |"
            )
    if report.skipped:
        lines += ["", "Not measured:"]
        lines += [f"- {name}: {why}" for name, why in report.skipped.items()]
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    return ", ".join(
        part
        for part in (
            model[1].strip() if model else platform.processor() or platform.machine(),
            f"{os.cpu_count()} cores",
            f"{int(memory[1]) / 1024**2:.1f} GiB memory" if memory else "",
            f"{platform.system()} {platform.release()}",
        )
        if part
    )


def software(load_generator: str) -> str:
    return ", ".join(
        (
            f"Python {platform.python_version()}",
            f"Django {django.get_version()}",
            f"gunicorn {version('gunicorn')}",
            load_generator,
        )
    )


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _markers(engine: str) -> tuple[str, str]:
    return f"<!-- bench:{engine}:start -->", f"<!-- bench:{engine}:end -->"


def _new_file() -> str:
    """The header, and a place for each engine's section, in a fixed order."""
    sections = []
    for engine, label in ENGINES.items():
        start, end = _markers(engine)
        sections.append(f"{start}\n## {label}\n\nNot measured yet.\n{end}")
    return HEADER + "\n" + "\n\n".join(sections) + "\n"


def write(report: Report, path: Path) -> None:
    """Put the report's section into `path`, keeping the header and other engines' sections."""
    start, end = _markers(report.engine)
    text = path.read_text() if path.exists() else _new_file()
    if start not in text or end not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"  # someone removed the section
    before, rest = text.split(start, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{before}{start}\n{as_markdown(report)}{end}{rest.split(end, 1)[1]}")
