"""Found by search engines: meta tags on every page, live product data, sitemap, robots.txt."""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.tests.factories import OrderFactory
from storefront.tests.shop_pages import render_shop_pages

pytestmark = pytest.mark.django_db


class HeadTags(HTMLParser):
    """The <meta> and <link> tags of a page, as (attributes) dicts."""

    def __init__(self, html: str):
        super().__init__()
        self.metas, self.links = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.metas.append(dict(attrs))
        elif tag == "link":
            self.links.append(dict(attrs))

    def meta(self, **match) -> list[str]:
        return [
            tag.get("content", "")
            for tag in self.metas
            if all(tag.get(key) == value for key, value in match.items())
        ]


def test_every_page_has_a_description_a_canonical_link_and_open_graph_tags(client, settings):
    settings.SITE_URL = "https://shop.example.com"

    pages = render_shop_pages(client)

    for name, html in pages.items():
        tags = HeadTags(html)
        [description] = tags.meta(name="description")
        assert 20 <= len(description) <= 160, name
        [canonical] = [link["href"] for link in tags.links if link.get("rel") == "canonical"]
        assert canonical.startswith("https://shop.example.com/"), name
        assert "?q=" not in canonical, name
        for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert tags.meta(property=prop) and all(tags.meta(property=prop)), (name, prop)
    assert HeadTags(pages["product"]).meta(property="og:type") == ["product"]
    assert HeadTags(pages["post"]).meta(property="og:type") == ["article"]


def test_a_later_page_of_a_list_is_its_own_canonical_page(client, settings):
    settings.SITE_URL = "https://shop.example.com"
    ProductFactory.create_batch(13)

    html = client.get(reverse("catalog:product_list") + "?page=2").content.decode()

    [canonical] = [link["href"] for link in HeadTags(html).links if link.get("rel") == "canonical"]
    assert canonical == "https://shop.example.com/?page=2"


def _offer(client, product) -> dict:
    html = client.get(product.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    return json.loads(block)["offers"]


def test_confirming_the_last_units_turns_the_cached_offer_out_of_stock(client, settings):
    """The product page is served from the page cache; the stock signals drop it, JSON-LD
    and badge together."""
    settings.LOW_STOCK_THRESHOLD = 5
    knife = ProductFactory(quantity=2)
    assert _offer(client, knife)["availability"] == "https://schema.org/LimitedAvailability"
    assert _offer(client, knife)["availability"] == "https://schema.org/LimitedAvailability"

    services.order_confirm(order=OrderFactory(customer=UserFactory(), lines={knife: 2}))

    assert Product.objects.get(pk=knife.pk).quantity == 0
    html = client.get(knife.get_absolute_url()).content.decode()
    assert "https://schema.org/OutOfStock" in html
    assert ">Sold out</span>" in html


def test_the_sitemap_lists_products_posts_and_information_pages_but_no_drafts(client, settings):
    settings.SITE_URL = "https://shop.example.com"
    product = ProductFactory()
    post = PostFactory()
    draft = PostFactory(draft=True)
    about = FlatPage.objects.create(url="/about/", title="About us", content="<p>Hi</p>")
    about.sites.add(settings.SITE_ID)

    response = client.get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    for path in (
        "/",
        reverse("blog:post_list"),
        product.get_absolute_url(),
        post.get_absolute_url(),
        "/pages/about/",
    ):
        assert f"<loc>https://shop.example.com{path}</loc>" in xml
    assert draft.get_absolute_url() not in xml


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://shop.example.com"

    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/cart/", "/checkout/", "/orders/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the shop itself stays open
    assert lines[-1] == "Sitemap: https://shop.example.com/sitemap.xml"


def test_the_footer_links_to_the_information_pages_and_states_the_real_terms(client, settings):
    settings.SHIPPING_FLAT_RATE = Decimal("3.50")
    settings.FREE_SHIPPING_THRESHOLD = Decimal("40")
    settings.TAX_RATE = Decimal("7.5")
    settings.TAX_NAME = "GST"

    html = client.get(reverse("blog:post_list")).content.decode()

    footer = html.split("<footer")[1]
    for path in ("/pages/about/", "/pages/shipping-returns/", "/pages/privacy/", "/pages/contact/"):
        assert f'href="{path}"' in footer
    assert "Prices include GST at 7.5%." in footer
    assert "Shipping $3.50, free on orders from $40.00." in footer
