import pytest
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return engines["django"].engine.from_string(source).render(Context(context))


def test_another_apps_page_shows_the_badge_the_catalog_shows_and_its_poller_replaces():
    skillet = ProductFactory(quantity=2)

    html = _render("{% load catalog %}{% stock_badge product %}", product=skillet)

    assert html == render_to_string("catalog/stock.html#badge", {"product": skillet})
    assert f'id="stock-{skillet.pk}"' in html and "Only 2 left" in html


def test_another_apps_page_has_its_badges_polled_by_the_catalog():
    mug, skillet = ProductFactory.create_batch(2)

    html = _render("{% load catalog %}{% stock_poller products %}", products=[mug, skillet])

    assert f"{reverse('catalog:stock_poll')}?ids={mug.pk},{skillet.pk}" in html
