"""How alerts is wired to checkout: a mail for every move of an order's life it has a mail for,
connected before any other app's receiver of that move."""

import os
import subprocess
import sys
import textwrap

from django.apps import apps
from django.conf import settings
from django.core import checks

from alerts.apps import check_order_mails_come_first


def test_the_customer_is_mailed_about_every_move_that_leads_to_a_state_with_a_mail():
    mailed = apps.get_app_config("alerts").mailed_moves()

    assert [move.name for move in mailed] == ["confirm", "ship", "deliver", "cancel"]


def test_the_shop_as_configured_connects_the_mails_first():
    assert check_order_mails_come_first in checks.registry.registry.get_checks()
    assert check_order_mails_come_first(app_configs=None) == []


def test_alerts_listed_after_the_catalog_fails_the_system_check():
    """INSTALLED_APPS with alerts moved below checkout (so below the catalog), in a process of
    its own: the catalog's take_stock is connected first, and the check says what to do."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = """
        import django
        from storefront import settings

        settings.INSTALLED_APPS.remove("alerts")
        settings.INSTALLED_APPS.insert(settings.INSTALLED_APPS.index("checkout") + 1, "alerts")
        django.setup()
        from django.core.management import call_command
        call_command("check")
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**clean, "DJANGO_SETTINGS_MODULE": "storefront.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "(alerts.E001) Another app listens to checkout's 'confirm' move" in result.stderr
    assert "(alerts.E001) Another app listens to checkout's 'cancel' move" in result.stderr
    assert "'ship'" not in result.stderr  # nobody else listens to it
    assert 'List "alerts" before "catalog"' in result.stderr
