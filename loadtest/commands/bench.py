import os
import shlex
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from loadtest import report
from loadtest.run import Options, run

# Environment variables that change what is measured: the report's command shows them.
MEASURED_SETTINGS = ("DATABASE_URL", "CACHE_URL")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":…@")))


def invocation(argv: list[str], environ) -> str:
    """The command as it was typed, for the report (database passwords left out)."""
    variables = [
        f"{name}={_without_password(environ[name])}"
        for name in MEASURED_SETTINGS
        if environ.get(name)
    ]
    args = shlex.join(argv[2:])
    # make exports MAKELEVEL to its recipes: this is `make bench`, maybe with BENCH_ARGS.
    if "MAKELEVEL" in environ:
        command = "make bench" + (f" BENCH_ARGS={shlex.quote(args)}" if args else "")
    else:
        command = f"python -m loadtest bench {args}".rstrip()
    return " ".join([*variables, command])


def _stop(signum, frame):
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl+C does: servers stop, databases go.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = (
        "Benchmark the production configuration with wrk against databases of realistic "
        "volume, and write the table to docs/benchmarks.md (`make bench`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--duration", type=int, default=Options.duration, help="Seconds per wrk run."
        )
        parser.add_argument(
            "--rounds", type=int, default=Options.rounds, help="Runs of each endpoint."
        )
        parser.add_argument(
            "--port", type=int, default=Options.port, help="Loopback port (the small catalog: +1)."
        )
        parser.add_argument(
            "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)."
        )
        parser.add_argument(
            "--worker-class", help="gunicorn worker class, sync or gthread (default: the file's)."
        )
        parser.add_argument(
            "--gunicorn-threads", type=int, help="Threads per gunicorn worker (gthread)."
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="Measure only the endpoints whose names contain NAME (repeatable). The "
            "figures are printed, not written: a partial run does not replace the recorded one.",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the benchmark databases afterwards."
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs" / "benchmarks.md",
            help="The Markdown file the results go to.",
        )

    def handle(
        self,
        *args,
        duration,
        rounds,
        port,
        keep,
        only,
        output,
        workers,
        worker_class,
        gunicorn_threads,
        **options,
    ):
        signal.signal(signal.SIGTERM, _stop)
        started = time.monotonic()

        def say(text: str) -> None:
            self.stdout.write(f"{time.monotonic() - started:4.0f} s  {text}")

        load, cores = os.getloadavg()[0], os.cpu_count() or 1
        if load > cores:
            say(
                f"The machine is busy (load average {load:.1f} on {cores} cores): absolute "
                "figures will be low and ratios noisier than usual."
            )
        options = Options(
            database_url=os.environ.get("DATABASE_URL"),
            command=invocation(sys.argv, os.environ),
            duration=duration,
            rounds=rounds,
            port=port,
            keep=keep,
            only=tuple(only),
            workers=workers,
            worker_class=worker_class,
            gunicorn_threads=gunicorn_threads,
        )
        if not options.chosen():
            raise CommandError(f"No endpoint's name contains any of {only}.")
        try:
            result = run(options, say=say)
        except KeyboardInterrupt:
            # By now run() has unwound: say so instead of showing a traceback.
            raise CommandError(
                "Interrupted: the servers are stopped and the benchmark databases dropped.",
                returncode=130,
            ) from None
        self.stdout.write("\n" + report.as_markdown(result))
        if only:
            self.stdout.write(f"A partial run (--only): {output} is left as it was.")
        else:
            report.write(result, output)
            self.stdout.write(f"Written to {output}.")
        if result.failed:
            raise CommandError(
                "Some requests did not get the answer they must get, or the stock tally is "
                "off: the figures above do not measure what they claim to."
            )
