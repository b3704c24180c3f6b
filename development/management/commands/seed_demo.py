from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Fill the shop with demo data. Every app contributes its own through a `demo` module "
        "with a `seed(*, stdout)` function; running it again adds nothing twice."
    )

    def handle(self, *args, **options):
        # INSTALLED_APPS order: accounts seeds the users that later apps' data belongs to.
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, "demo"):
                continue
            demo = import_module(f"{app_config.name}.demo")
            with transaction.atomic():
                demo.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
