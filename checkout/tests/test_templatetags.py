import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, engines
from django.urls import reverse

from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _render(source: str, request, **context) -> str:
    template = engines["django"].engine.from_string(source)
    return template.render(RequestContext(request, context))


def test_another_apps_page_shows_the_add_to_cart_form_that_comes_back_to_it(rf):
    candle = ProductFactory()
    request = rf.get("/category/kitchen/?page=2")
    request.user = AnonymousUser()

    html = _render("{% load checkout %}{% add_to_cart_form product %}", request, product=candle)

    assert f'action="{reverse("checkout:cart_add", args=[candle.pk])}"' in html
    assert 'name="next" value="/category/kitchen/?page=2"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="quantity" value="1">' in html


def test_a_products_own_page_asks_for_a_quantity(rf):
    candle = ProductFactory(quantity=3)
    request = rf.get(candle.get_absolute_url())
    request.user = AnonymousUser()

    html = _render(
        "{% load checkout %}{% add_to_cart_form product show_quantity=True %}",
        request,
        product=candle,
    )

    assert f'id="quantity-{candle.pk}" name="quantity"' in html
    assert 'max="3"' in html
