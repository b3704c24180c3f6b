from io import StringIO

import pytest
from django.core.management import call_command

from accounts import demo
from accounts.models import User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_adds_one_shopper_who_can_sign_in_with_the_printed_credentials(client):
    first = _seed()
    second = _seed()

    assert "accounts: demo shopper added; sign in as shopper / demo-shopper-2026" in first
    assert "accounts: demo shopper already there" in second
    assert User.objects.filter(username="shopper").count() == 1
    assert client.login(username=demo.USERNAME, password=demo.PASSWORD)
    customer = User.objects.get(username="shopper").customer
    assert customer.has_shipping_address
    assert customer.display_name == "Sam Shopper"


def test_seeding_again_restores_the_printed_password_and_keeps_profile_edits(client):
    _seed()
    shopper = User.objects.get(username="shopper")
    shopper.set_password("changed-by-someone")
    shopper.save()
    shopper.customer.city = "Bath"
    shopper.customer.save()

    _seed()

    assert client.login(username=demo.USERNAME, password=demo.PASSWORD)
    assert User.objects.get(username="shopper").customer.city == "Bath"


def test_the_readme_gives_the_same_demo_credentials(settings):
    # Whitespace-insensitive: the paragraph may be re-wrapped.
    readme = " ".join((settings.BASE_DIR / "README.md").read_text().split())

    assert f"username **`{demo.USERNAME}`**, password **`{demo.PASSWORD}`**" in readme
