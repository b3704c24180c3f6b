import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from loadtest.soak import soak


class Command(BaseCommand):
    help = (
        "Soak the production configuration (PostgreSQL, Redis, gunicorn, task workers) on "
        "loopback with 20 simulated shoppers (locust), then check for 5xx answers, oversold "
        "stock and lost or repeated mail, and report the web workers' memory (`make soak`). "
        "Faults are injected meanwhile (Redis stopped, a web and a task worker killed, the SMTP "
        "server down, Redis frozen while shoppers sign out) unless --no-faults. "
        "The figures and locust's HTML report go to the output directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=180, help="How long the shoppers shop.")
        parser.add_argument("--port", type=int, default=8300, help="Loopback port for gunicorn.")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / ".bench" / "soak",
            help="Where figures.json, locust.html and the servers' logs go.",
        )
        parser.add_argument(
            "--no-faults",
            action="store_false",
            dest="faults",
            help="Shop without the faults (loadtest/chaos.py): Redis, workers and SMTP stay up.",
        )

    def handle(self, *args, seconds, port, output, faults=True, **options):
        database_url = os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/storefront"
        )
        cache_url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0")
        try:
            figures = soak(
                database_url=database_url,
                cache_url=cache_url,
                port=port,
                seconds=seconds,
                output=output,
                say=lambda text: self.stdout.write(text),
                faults=faults,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.report(figures))
        problems = self.problems(figures)
        figures["problems"] = problems
        (output / "figures.json").write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(
            f"Figures in {output / 'figures.json'}, locust's report in {output / 'locust.html'}."
        )
        self.stdout.write(self.summary(figures))
        if problems:
            raise CommandError("The soak failed: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("The soak passed."))

    @staticmethod
    def problems(figures: dict) -> list[str]:
        problems = []
        if figures["server_errors"]:
            problems.append(f"{figures['server_errors']} responses were 5xx or no answer")
        if figures["oversold_products"] or figures["negative_stock"]:
            problems.append(f"stock does not add up for {figures['oversold_products']}")
        for kind, mail in figures["mail"].items():
            if mail["lost"] or mail["repeated"]:
                problems.append(f"{kind} mail: {mail['lost']} lost, {mail['repeated']} repeated")
        # A SIGKILLed web worker breaks the connection of what it was answering: at most one
        # request per shopper can be in flight.
        if figures.get("connection_resets", 0) > figures.get("shoppers", 0):
            problems.append(f"{figures['connection_resets']} broken connections")
        if figures.get("resurrected_sessions"):
            problems.append(
                f"{figures['resurrected_sessions']} requests answered as signed in for sessions "
                "that had ended"
            )
        faults = figures.get("faults", [])
        if len(faults) < figures.get("faults_planned", 0):
            problems.append(f"only {len(faults)} of {figures['faults_planned']} faults ran")
        problems.extend(
            f"not survived: {fault['name']} ({fault['detail']})"
            for fault in faults
            if not fault["survived"]
        )
        return problems

    @staticmethod
    def summary(figures: dict) -> str:
        """The last line: `soak: 27,000 requests, 0 5xx, 0 oversold, mail 1,400/1,400 exactly
        once, faults 4/4 survived`."""
        owed = sum(mail["owed"] for mail in figures["mail"].values())
        once = sum(mail["delivered once"] for mail in figures["mail"].values())
        oversold = len(figures["oversold_products"]) + len(figures["negative_stock"])
        line = (
            f"soak: {figures['requests']:,} requests, {figures['server_errors']} 5xx, "
            f"{oversold} oversold, mail {once:,}/{owed:,} exactly once"
        )
        if figures.get("faults_planned"):
            survived = sum(1 for fault in figures["faults"] if fault["survived"])
            line += (
                f", {figures['resurrected_sessions']} resurrected sessions"
                f", faults {survived}/{figures['faults_planned']} survived"
                f" ({figures['connection_resets']} connection resets from the killed worker)"
            )
        return line

    @staticmethod
    def report(figures: dict) -> str:
        growth = figures["rss_end_mib"] - figures["rss_start_mib"]
        lines = [
            f"Soak: {figures['seconds']} s, {figures['requests']:,} requests "
            f"({figures['requests'] / figures['seconds']:.0f}/s)",
            f"  statuses: {figures['statuses']}",
            f"  actions: {figures['actions']}",
            f"  5xx: {figures['server_errors']}"
            + (f" {figures['failures']}" if figures["failures"] else ""),
            f"  orders confirmed: {figures['orders_confirmed']} "
            f"({figures['units_confirmed']} units); "
            f"oversold products: {len(figures['oversold_products'])}; "
            f"negative stock: {len(figures['negative_stock'])}",
            f"  comments: {figures['comments']}",
            *(f"  {kind} mail: {mail}" for kind, mail in figures["mail"].items()),
            f"  web workers' memory: {figures['rss_start_mib']:.1f} MiB → "
            f"{figures['rss_end_mib']:.1f} MiB ({growth:+.1f} MiB)",
        ]
        return "\n".join(lines)
