"""What search engines read about a product: schema.org Product data from the live row."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.seo import product_structured_data

from .factories import ProductFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> dict:
    [block] = JSON_LD.findall(html)
    return json.loads(block)


@pytest.mark.parametrize(
    ("quantity", "availability"),
    [
        (0, "https://schema.org/OutOfStock"),
        (5, "https://schema.org/LimitedAvailability"),
        (6, "https://schema.org/InStock"),
    ],
)
def test_availability_follows_the_stock_badge(settings, quantity, availability):
    settings.LOW_STOCK_THRESHOLD = 5

    data = product_structured_data(ProductFactory(quantity=quantity))

    assert data["offers"]["availability"] == availability


def test_the_product_page_carries_its_product_data(client, settings):
    settings.SITE_URL = "https://shop.example.com"
    settings.CURRENCY = "EUR"
    product = ProductFactory(name="Chef's Knife", slug="chefs-knife", price=Decimal("120"))

    html = client.get(product.get_absolute_url()).content.decode()

    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"] == "Chef's Knife"
    assert data["url"] == "https://shop.example.com/products/chefs-knife/"
    assert data["offers"]["price"] == "120.00"
    assert data["offers"]["priceCurrency"] == "EUR"


def test_a_product_name_cannot_break_out_of_the_data_block(client):
    product = ProductFactory(name="</script><script>alert(1)</script>")

    html = client.get(product.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_every_product_is_in_the_sitemap_with_its_last_change(client, settings):
    settings.SITE_URL = "https://shop.example.com"
    products = ProductFactory.create_batch(3)

    xml = client.get(reverse("django.contrib.sitemaps.views.sitemap")).content.decode()

    for product in products:
        assert f"<loc>https://shop.example.com{product.get_absolute_url()}</loc>" in xml
    assert xml.count("<lastmod>") >= 3
