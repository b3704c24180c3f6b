import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from checkout.bench import tally
from storefront.benchmark import data


class Command(BaseCommand):
    help = (
        "Fill a benchmark database with every app's bench volume (`build`), or count what "
        "the confirm endpoint did to it (`tally`). `make bench` runs both with DATABASE_URL "
        "pointing at the database it made; see storefront/benchmark/data.py."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="Fill the empty, migrated database.")
        build.add_argument("--scale", type=float, default=1.0, help="1 = the issue's volumes.")
        build.add_argument("--facts", type=Path, required=True, help="Where to write the facts.")
        count = actions.add_parser("tally", help="Print the confirm endpoint's stock tally.")
        count.add_argument("--facts", type=Path, required=True, help="The build's facts.")

    def handle(self, *args, action, facts, scale=1.0, **options):
        # Benchmark data on a real database would be 10,000 fake products in the shop.
        if not data.is_benchmark_database(connection.settings_dict["NAME"]):
            raise CommandError(
                "This is not a benchmark database (its name has no 'bench' in it); "
                "`make bench` makes its own."
            )
        if action == "build":
            built = data.build(scale=scale, stdout=self.stdout)
            facts.write_text(json.dumps(built))
        else:
            built = json.loads(facts.read_text())
            self.stdout.write(json.dumps(tally(built["checkout"])))
