"""`python -m stripe_sandbox --port N [--webhook URL --webhook-secret whsec_…] [--api-key …]`

Serves the sandbox (stripe_sandbox/README.md) until Ctrl+C or SIGTERM, after printing its
address. Everything is kept in memory: a restart forgets every session, payment and event.
"""

import argparse
import contextlib
import signal
import sys

from stripe_sandbox.server import SandboxServer

DEFAULT_PORT = 12111
# Seconds between a failed delivery's attempts: about forty minutes of trying in all.
DEFAULT_RETRY_DELAYS = "1,2,4,8,16,32,60,120,300,600,1200"


def _delays(text: str) -> list[float]:
    try:
        delays = [float(part) for part in text.split(",")]
    except ValueError:
        delays = []
    if not delays or min(delays) < 0:
        raise argparse.ArgumentTypeError("seconds, comma separated, e.g. 0.1,0.5,2")
    return delays


def _prefixed(prefix: str):
    def check(text: str) -> str:
        if not text.startswith(prefix):
            raise argparse.ArgumentTypeError(f"it starts with {prefix}")
        return text

    return check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stripe_sandbox",
        description="A local stand-in for Stripe's API, hosted payment page and webhooks.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 takes a free one")
    parser.add_argument(
        "--api-key",
        type=_prefixed("sk_test_"),
        help="the one secret key accepted (default: any sk_test_ key)",
    )
    parser.add_argument("--webhook", metavar="URL", help="post every event to this URL")
    parser.add_argument(
        "--webhook-secret",
        type=_prefixed("whsec_"),
        metavar="whsec_…",
        help="the signing secret of --webhook (default: a new one)",
    )
    parser.add_argument(
        "--retry-delays",
        type=_delays,
        default=_delays(DEFAULT_RETRY_DELAYS),
        metavar="SECONDS,…",
        help="waits between a failed delivery's attempts",
    )
    parser.add_argument("--delivery-timeout", type=float, default=10.0, metavar="SECONDS")
    parser.add_argument("--seed", type=int, help="for the random choices of the fault switches")
    args = parser.parse_args(argv)
    if args.webhook_secret and not args.webhook:
        parser.error("--webhook-secret goes with --webhook")

    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            webhook=args.webhook,
            webhook_secret=args.webhook_secret,
            retry_delays=args.retry_delays,
            delivery_timeout=args.delivery_timeout,
            seed=args.seed,
        )
    except OSError as failure:
        print(f"The sandbox cannot listen on {args.host}:{args.port}: {failure}", file=sys.stderr)
        return 1
    print(f"Stripe sandbox on {server.url} (test mode: no money moves)", flush=True)
    for endpoint in server.sandbox.endpoints.values():
        print(f"Every event goes to {endpoint.url}, signed with {endpoint.secret}", flush=True)

    # SystemExit out of the serving loop runs its cleanup, as Ctrl+C's KeyboardInterrupt does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
