from django.core.management.base import BaseCommand

from development.signalmap import as_markdown, as_mermaid, as_text, routes


class Command(BaseCommand):
    help = (
        "List every signal receiver in this project's apps: the signal, the sender it "
        "listens to, the receiver function and its dispatch_uid. The routes between apps come "
        "first, then each app's reactions to its own models."
    )

    def add_arguments(self, parser):
        style = parser.add_mutually_exclusive_group()
        style.add_argument(
            "--markdown",
            action="store_true",
            help="Print Markdown tables, between apps and each app's own (as in the README).",
        )
        style.add_argument(
            "--mermaid",
            action="store_true",
            help="Print a Mermaid flowchart: apps as boxes, signals as arrows, each app's "
            "reactions to its own models below (as in the README).",
        )

    def handle(self, *args, markdown=False, mermaid=False, **options):
        found = routes()
        if mermaid:
            self.stdout.write(as_mermaid(found))
        else:
            self.stdout.write(as_markdown(found) if markdown else as_text(found))
