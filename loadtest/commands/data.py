import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from loadtest import books, data
from loadtest.volumes.checkout import tally


class Command(BaseCommand):
    help = (
        "Fill a benchmark database with every app's volume (`build`), count what the "
        "pay-and-confirm endpoint did to it (`tally`), or read the soak's facts and books from "
        "it. `make bench` "
        "and `make soak` run these with DATABASE_URL pointing at the database they made; see "
        "loadtest/data.py and loadtest/books.py."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="Fill the empty, migrated database.")
        build.add_argument("--scale", type=float, default=1.0, help="1 = the full volumes.")
        build.add_argument("--facts", type=Path, required=True, help="Where to write the facts.")
        count = actions.add_parser("tally", help="Print the pay-and-confirm row's stock tally.")
        count.add_argument("--facts", type=Path, required=True, help="The build's facts.")
        actions.add_parser("soak-facts", help="Print the paths the soak's shoppers use.")
        actions.add_parser("stock", help="Print every product's stock.")
        for name, text in (
            ("books", "Print the soak's books since a moment."),
            ("mail-waiting", "Print how much of the mail since a moment is still on its way."),
        ):
            since = actions.add_parser(name, help=text)
            since.add_argument("--since", type=datetime.fromisoformat, required=True)

    def handle(self, *args, action, facts=None, scale=1.0, since=None, **options):
        # Benchmark data on a real database would be 10,000 fake products in the shop.
        if not data.is_benchmark_database(connection.settings_dict["NAME"]):
            raise CommandError(
                "This is not a benchmark database (its name has no 'bench' in it); "
                "`make bench` and `make soak` make their own."
            )
        if action == "build":
            built = data.build(scale=scale, stdout=self.stdout)
            facts.write_text(json.dumps(built))
            return
        if action == "tally":
            answer = tally(json.loads(facts.read_text())["checkout"])
        elif action == "soak-facts":
            answer = books.soak_facts()
        elif action == "stock":
            answer = books.stock()
        elif action == "books":
            answer = books.books(since=since)
        else:
            answer = books.mail_waiting(since=since)
        self.stdout.write(json.dumps(answer))
