from django.core.management.base import BaseCommand

from storefront.signalmap import as_markdown, as_text, routes


class Command(BaseCommand):
    help = (
        "List every signal receiver in this project's apps: the signal, the sender it "
        "listens to, the receiver function and its dispatch_uid."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown", action="store_true", help="Print a Markdown table (as in the README)."
        )

    def handle(self, *args, markdown=False, **options):
        found = routes()
        self.stdout.write(as_markdown(found) if markdown else as_text(found))
