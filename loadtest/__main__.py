"""`python -m loadtest <command> [options]`: the load-test commands.

They are Django management commands (argument parsing, `--help`, CommandError), run from here
rather than through manage.py: `loadtest` is development tooling, not an installed app, so it
ships in no wheel and `manage.py help` does not list it. `make bench` and `make soak` call it.
"""

import os
import sys
from importlib import import_module

COMMANDS = {
    "bench": "Benchmark the production configuration with wrk (make bench).",
    "soak": "Minutes of simulated shoppers against the deployment, then check the books "
    "(make soak).",
    "data": "Fill a benchmark database, or tally it (used by bench and soak).",
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print("usage: python -m loadtest <command> [options]\n", file=sys.stderr)
        for name, text in COMMANDS.items():
            print(f"  {name:6} {text}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
    import django

    django.setup()
    command = import_module(f"loadtest.commands.{argv[1]}").Command()
    command.run_from_argv(["python -m loadtest", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
