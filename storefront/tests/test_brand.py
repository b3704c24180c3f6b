"""The shop's own name and pages: the navbar's logo, the admin's title, the flat pages."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(boss)
    return client


def test_the_admin_is_titled_with_the_shops_name(staff, settings):
    html = staff.get(reverse("admin:index")).content.decode()

    assert f"{settings.SHOP_NAME} administration" in html
    assert "Django administration" not in html


def test_the_navbar_shows_the_logo_and_the_shops_name(client, settings):
    html = client.get(reverse("blog:post_list")).content.decode()

    brand = html.split('class="navbar-brand')[1].split("</a>")[0]
    assert 'src="/static/img/logo.svg"' in brand
    assert settings.SHOP_NAME in brand


def test_the_demo_information_pages_are_seeded_once_and_staff_edits_survive(client):
    call_command("seed_demo", stdout=StringIO())
    about = FlatPage.objects.get(url="/about/")
    about.content = "<p>Edited by staff.</p>"
    about.save()

    call_command("seed_demo", stdout=StringIO())

    assert set(FlatPage.objects.values_list("url", flat=True)) == {
        "/about/",
        "/shipping-returns/",
        "/privacy/",
        "/contact/",
    }
    html = client.get("/pages/about/").content.decode()
    assert "Edited by staff." in html
    shipping = client.get("/pages/shipping-returns/").content.decode()
    assert "$4.95" in shipping and "$50.00" in shipping


def test_staff_edit_the_information_pages_in_the_admin(staff):
    call_command("seed_demo", stdout=StringIO())
    page = FlatPage.objects.get(url="/contact/")

    response = staff.get(reverse("admin:flatpages_flatpage_change", args=[page.pk]))

    assert response.status_code == 200
