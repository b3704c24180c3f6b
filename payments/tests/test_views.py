"""The shopper's pages: paying from the order page, and the page they come back to, which
waits for the bank (asking the provider, never trusting the redirect) and then moves on."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout import services as checkout
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from payments.models import Payment

from .fixtures import DECLINED, pay_by_card, start_card_payment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def customer(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def order(customer):
    return OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})


def test_the_order_page_offers_each_method_and_says_card_payments_are_a_test(
    client, order, settings
):
    settings.PAYMENT_METHODS = ["card", "bank_transfer"]
    settings.STRIPE_API_BASE = "http://127.0.0.1:12111"

    page = client.get(order.get_absolute_url()).content.decode()

    assert "Pay by card" in page and "Pay by bank transfer" in page
    assert "Test mode — no money moves." in page
    assert "Confirm order" not in page


def test_only_the_methods_the_settings_offer_are_shown_or_taken(client, order, settings):
    settings.PAYMENT_METHODS = ["bank_transfer"]

    page = client.get(order.get_absolute_url()).content.decode()
    refused = client.post(reverse("payments:pay", args=[order.pk]), {"method": "card"}, follow=True)

    assert "Pay by card" not in page and "Pay by bank transfer" in page
    assert "That way of paying is not offered." in refused.content.decode()
    assert not Payment.objects.exists()


def test_live_keys_take_the_test_label_away(client, order, settings):
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_SECRET_KEY = "sk_live_not_a_real_key"

    assert "Test mode" not in client.get(order.get_absolute_url()).content.decode()


@pytest.mark.parametrize("method", ["", "cash", "card\x00"])
def test_an_unknown_method_is_refused_and_nothing_is_made(client, order, method):
    response = client.post(
        reverse("payments:pay", args=[order.pk]), {"method": method}, follow=True
    )

    assert "That way of paying is not offered." in response.content.decode()
    assert not Payment.objects.exists()


def test_another_customers_or_an_unknown_order_is_a_404_and_makes_nothing(client, customer):
    someone_elses = OrderFactory(lines={ProductFactory(quantity=5): 1})

    answers = [
        client.post(reverse("payments:pay", args=[pk]), {"method": "bank_transfer"}).status_code
        for pk in (someone_elses.pk, 999_999)
    ]

    assert answers == [404, 404]
    assert not Payment.objects.exists()


def test_paying_needs_a_post_and_a_csrf_token(customer, order):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    url = reverse("payments:pay", args=[order.pk])

    assert browser.get(url).status_code == 405
    assert browser.post(url, {"method": "bank_transfer"}).status_code == 403
    assert not Payment.objects.exists()


def test_an_order_that_awaits_no_payment_cannot_be_paid(client, order):
    checkout.order_cancel(order=order)

    response = client.post(
        reverse("payments:pay", args=[order.pk]), {"method": "card"}, follow=True
    )

    assert "awaits no payment: it is cancelled." in response.content.decode()
    assert not Payment.objects.exists()


def test_an_order_that_costs_nothing_has_nothing_to_pay(client, customer):
    order = OrderFactory(customer=customer)  # no lines: a total of 0

    response = client.post(
        reverse("payments:pay", args=[order.pk]), {"method": "card"}, follow=True
    )

    assert "costs nothing: there is nothing to pay." in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_coming_back_before_the_webhook_asks_the_provider_and_shows_the_confirmed_order(
    client, cards, order
):
    back = pay_by_card(client, order, cards.sandbox)  # no webhook delivered

    response = client.get(back.location, follow=True)

    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert "your payment is accepted" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_coming_back_after_another_card_passed_on_the_page_the_first_one_failed_on(
    client, cards, order
):
    page = start_card_payment(client, order)
    cards.sandbox.pay(page, DECLINED)
    cards.deliver(1)  # payment_intent.payment_failed: the shop has heard of the refusal
    back = cards.sandbox.pay(page)  # the next card passes; its webhooks are not heard yet

    response = client.get(back.location, follow=True)

    assert "your payment is accepted" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Payment.objects.get().status == Payment.Status.AUTHORIZED


@pytest.mark.django_db(transaction=True)
def test_the_return_page_waits_for_the_bank_polls_and_moves_on_once_decided(client, cards, order):
    page = start_card_payment(client, order)
    payment = Payment.objects.get()
    # The shopper types the page's return address before paying: the redirect proves nothing.
    waiting = client.get(payment.get_absolute_url())
    poll = client.get(payment.get_absolute_url(), **HTMX)
    cards.sandbox.pay(page)
    cards.deliver(2)
    decided = client.get(payment.get_absolute_url(), **HTMX)

    html = waiting.content.decode()
    assert waiting.status_code == 200
    assert "Waiting for your bank" in html
    assert f'href="{payment.get_absolute_url()}"' in html  # "Check again", without JavaScript
    assert 'data-hx-trigger="every 2s"' in html
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert (poll.status_code, poll.content) == (204, b"")
    assert decided["HX-Redirect"] == order.get_absolute_url()


def test_someone_elses_payment_page_is_a_404(client, customer):
    payment = Payment.objects.create(
        order=OrderFactory(lines={ProductFactory(): 1}), method="card", amount=5, currency="USD"
    )

    assert client.get(payment.get_absolute_url()).status_code == 404
