from django.core.management.base import BaseCommand

from accounts.services import customers_create_missing


class Command(BaseCommand):
    help = (
        "Create the missing customer profile of every user who has none (users loaded from "
        "fixtures, users from before profiles existed). Safe to run any number of times."
    )

    def handle(self, *args, **options):
        """Backfill profiles and say how many were made."""
        created = customers_create_missing()
        noun = "profile" if created == 1 else "profiles"
        self.stdout.write(self.style.SUCCESS(f"Created {created} customer {noun}."))
