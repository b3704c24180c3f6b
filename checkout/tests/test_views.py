from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Cart, CartItem, Order
from checkout.services import CART_SESSION_KEY

from .factories import SHIPPING, CartFactory, CartItemFactory, OrderFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def customer():
    return UserFactory()


@pytest.fixture
def shopper(client, customer):
    client.force_login(customer)
    return client


def add(client, product, quantity=1, **extra):
    return client.post(
        reverse("checkout:cart_add", args=[product.pk]), {"quantity": quantity}, **extra
    )


# Adding to the cart


def test_adding_with_htmx_gives_feedback_and_updates_the_navbar_count(client):
    mug = ProductFactory(quantity=5)

    response = add(client, mug, 2, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Added to cart" in html
    assert 'id="cart-count"' in html and 'hx-swap-oob="true"' in html
    assert ">2<" in html.split('id="cart-count"')[1][:80]
    assert CartItem.objects.get().quantity == 2
    assert '<a href="/cart/" class="view-cart-link small">View cart</a>' in html


def test_the_navbar_count_an_add_answers_with_counts_the_whole_cart(client):
    mug, pan = ProductFactory(quantity=5), ProductFactory(quantity=5)
    add(client, mug, 3, **HTMX)
    client.get("/")  # the count's copy is made: 3

    response = add(client, pan, 2, **HTMX)

    assert ">5<" in response.content.decode().split('id="cart-count"')[1][:80]
    # The copy the page before made was dropped: the next page counts again.
    assert ">5<" in client.get("/").content.decode().split('id="cart-count"')[1][:80]


def test_adding_without_javascript_redirects_back_with_a_message(client):
    mug = ProductFactory(name="Enamel Camp Mug", quantity=5)

    response = add(client, mug, 1, follow=True)

    assert response.redirect_chain[-1][0] == mug.get_absolute_url()
    assert b"Added 1 \xc3\x97 Enamel Camp Mug to your cart." in response.content
    assert b'<a href="/cart/" class="alert-link">View cart</a>' in response.content


def test_a_visitor_cart_lives_in_the_session(client):
    add(client, ProductFactory(quantity=5))

    assert Cart.objects.get(user=None).pk == client.session[CART_SESSION_KEY]


def test_a_browser_back_without_its_ended_session_starts_a_new_cart(client, settings):
    """The CSRF cookie ties first adds sent together, not a browser to its carts for good:
    it outlives the session (a year against two weeks), and the cart stays with the session."""
    mug = ProductFactory(quantity=5)
    client.get(mug.get_absolute_url())  # the page sets the CSRF cookie
    add(client, mug)
    ended = Cart.objects.get()
    Cart.objects.filter(pk=ended.pk).update(created_at=timezone.now() - timedelta(hours=1))
    del client.cookies[settings.SESSION_COOKIE_NAME]

    add(client, mug, 2)

    new = Cart.objects.exclude(pk=ended.pk).get()
    assert client.session[CART_SESSION_KEY] == new.pk
    assert new.items.get().quantity == 2
    assert ended.items.get().quantity == 1


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Choose at least 1."),
        (-1, "Choose at least 1."),
        ("abc", "Enter a whole number."),
        (10**9, "Choose at most 999."),
        ("", "Enter how many you want."),
        (6, "Only 5 of"),
    ],
)
def test_bad_quantities_are_refused_with_a_message_and_change_nothing(client, quantity, message):
    mug = ProductFactory(quantity=5)

    response = add(client, mug, quantity, **HTMX)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CartItem.objects.exists()
    assert not Cart.objects.exists()


def test_a_sold_out_product_shows_a_disabled_button_and_the_server_refuses_it(client):
    candle = ProductFactory(name="Beeswax Candle Pair", quantity=0)

    page = client.get(candle.get_absolute_url()).content.decode()
    response = add(client, candle, 1, **HTMX)

    form = page.split(f'id="add-to-cart-{candle.pk}"')[1]
    assert "disabled" in form.split("</form>")[0]
    assert response.status_code == 422
    assert "Beeswax Candle Pair is sold out" in response.content.decode()
    assert not CartItem.objects.exists()


def test_a_tampered_price_is_ignored(shopper, customer):
    mug = ProductFactory(price=Decimal("14.00"), quantity=5)
    shopper.post(reverse("checkout:cart_add", args=[mug.pk]), {"quantity": 2, "price": "0.01"})

    shopper.post(reverse("checkout:checkout"), {**SHIPPING, "total_price": "0.01", "price": "0"})

    assert Order.objects.get().subtotal == Decimal("28.00")


def test_unknown_product_is_a_404(client):
    response = client.post(reverse("checkout:cart_add", args=[999999]), {"quantity": 1})
    assert response.status_code == 404


def test_a_post_without_csrf_token_is_refused(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})

    response = client.post(reverse("checkout:order_cancel", args=[order.pk]))

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED


# The cart page


def test_cart_page_totals_on_the_server_and_flags_lines_above_stock(shopper, customer):
    cart = CartFactory(user=customer)
    CartItemFactory(
        cart=cart, product=ProductFactory(price=Decimal("14.00"), quantity=9), quantity=2
    )
    CartItemFactory(
        cart=cart,
        product=ProductFactory(name="Skillet", price=Decimal("48.10"), quantity=1),
        quantity=3,
    )

    response = shopper.get(reverse("checkout:cart"))

    html = response.content.decode()
    assert response.context["amounts"].total == Decimal("172.30")
    assert "$172.30" in html
    assert "Only 1 left: lower the quantity to order." in html
    assert reverse("checkout:checkout") not in html.split('id="cart"')[1]


def test_changing_a_quantity_with_htmx_returns_the_recomputed_cart(shopper, customer):
    item = CartItemFactory(
        cart=CartFactory(user=customer), product=ProductFactory(price=Decimal("2.50"), quantity=9)
    )

    response = shopper.post(
        reverse("checkout:cart_update", args=[item.pk]), {"quantity": 4}, **HTMX
    )

    assert response.status_code == 200
    assert "$10.00" in response.content.decode()
    assert CartItem.objects.get().quantity == 4


def test_a_bad_quantity_in_the_cart_keeps_what_was_typed_and_changes_nothing(shopper, customer):
    item = CartItemFactory(cart=CartFactory(user=customer), quantity=2)

    response = shopper.post(
        reverse("checkout:cart_update", args=[item.pk]), {"quantity": "lots"}, **HTMX
    )

    assert response.status_code == 422
    assert 'value="lots"' in response.content.decode()
    assert "Enter a whole number." in response.content.decode()
    assert CartItem.objects.get().quantity == 2


def test_removing_a_line(shopper, customer):
    item = CartItemFactory(cart=CartFactory(user=customer))

    response = shopper.post(reverse("checkout:cart_remove", args=[item.pk]), **HTMX)

    assert response.status_code == 200
    assert "Your cart is empty" in response.content.decode()
    assert not CartItem.objects.exists()


def test_someone_elses_cart_line_is_a_404(shopper):
    stranger_item = CartItemFactory(cart=CartFactory(user=UserFactory()))

    response = shopper.post(reverse("checkout:cart_remove", args=[stranger_item.pk]))

    assert response.status_code == 404
    assert CartItem.objects.filter(pk=stranger_item.pk).exists()


# Signing in


def test_signing_in_merges_the_visitor_cart_into_the_customer_cart(client, customer):
    mug = ProductFactory(quantity=5)
    CartItemFactory(cart=CartFactory(user=customer), product=mug, quantity=4)
    add(client, mug, 3)

    client.post(
        reverse("login"),
        {"username": customer.username, "password": DEFAULT_PASSWORD},
    )

    assert dict(CartItem.objects.values_list("cart__user", "quantity")) == {customer.pk: 5}
    assert Cart.objects.count() == 1


# Placing


def test_a_visitor_is_sent_to_sign_in_and_back_to_checkout(client):
    response = client.get(reverse("checkout:checkout"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('checkout:checkout')}"


def test_checkout_prefills_the_address_from_the_profile(shopper, customer):
    Customer.objects.filter(user=customer).update(
        display_name="Ada L.", address_line1="1 Analytical Way", city="London", country="GB"
    )
    CartItemFactory(cart=CartFactory(user=customer))

    form = shopper.get(reverse("checkout:checkout")).context["form"]

    assert form.initial["shipping_name"] == "Ada L."
    assert form.initial["address_line1"] == "1 Analytical Way"
    assert form.initial["country"] == "GB"


def test_checkout_prefills_the_real_name_never_the_username(client):
    named = UserFactory(username="ada_99", first_name="Ada", last_name="Lovelace")
    nameless = UserFactory(username="bob_77")
    names = {}
    for user in (named, nameless):
        CartItemFactory(cart=CartFactory(user=user))
        client.force_login(user)
        form = client.get(reverse("checkout:checkout")).context["form"]
        names[user.username] = form.initial["shipping_name"]
        assert form.initial["save_address"] is True

    assert names == {"ada_99": "Ada Lovelace", "bob_77": ""}


def test_checkout_starts_with_an_empty_address_when_no_one_keeps_one(shopper, customer):
    Customer.objects.filter(user=customer).delete()
    CartItemFactory(cart=CartFactory(user=customer))

    form = shopper.get(reverse("checkout:checkout")).context["form"]

    assert form.initial == {"shipping_name": customer.get_full_name(), "save_address": True}


def test_placing_saves_the_address_to_the_profile_when_asked(shopper, customer):
    CartItemFactory(cart=CartFactory(user=customer))

    shopper.post(reverse("checkout:checkout"), {**SHIPPING, "save_address": "on"})

    profile = Customer.objects.get(user=customer)
    assert profile.address_line1 == SHIPPING["address_line1"]
    assert profile.postal_code == SHIPPING["postal_code"]
    assert profile.display_name == SHIPPING["shipping_name"]
    assert profile.has_shipping_address


def test_placing_without_save_as_my_address_leaves_the_profile_alone(shopper, customer):
    Customer.objects.filter(user=customer).update(display_name="Ada", city="Paris")
    CartItemFactory(cart=CartFactory(user=customer))

    shopper.post(reverse("checkout:checkout"), SHIPPING)  # an unticked box is not sent

    profile = Customer.objects.get(user=customer)
    assert (profile.display_name, profile.city, profile.address_line1) == ("Ada", "Paris", "")
    assert Order.objects.get().city == SHIPPING["city"]


def test_placing_an_order_empties_the_cart_and_opens_the_order(shopper, customer):
    mug = ProductFactory(quantity=5)
    CartItemFactory(cart=CartFactory(user=customer), product=mug, quantity=2)

    response = shopper.post(reverse("checkout:checkout"), SHIPPING, follow=True)

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert b"Check it and choose how to pay below." in response.content
    assert b"Pay by card" in response.content
    assert not CartItem.objects.exists()
    assert Product.objects.get(pk=mug.pk).quantity == 5


def test_a_missing_address_shows_errors_and_places_nothing(shopper, customer):
    CartItemFactory(cart=CartFactory(user=customer))

    response = shopper.post(reverse("checkout:checkout"), {**SHIPPING, "city": ""})

    assert response.status_code == 422
    assert b"This field is required." in response.content
    assert not Order.objects.exists()
    assert CartItem.objects.exists()


@pytest.mark.parametrize("country", ["United Kingdom", "Narnia", "", "gb"])
def test_a_country_not_chosen_from_the_list_places_nothing(shopper, customer, country):
    CartItemFactory(cart=CartFactory(user=customer))

    response = shopper.post(reverse("checkout:checkout"), {**SHIPPING, "country": country})

    assert response.status_code == 422
    assert not Order.objects.exists()


def test_the_checkout_offers_countries_from_a_list_and_the_order_shows_the_name(shopper, customer):
    CartItemFactory(cart=CartFactory(user=customer))

    page = shopper.get(reverse("checkout:checkout")).content.decode()
    response = shopper.post(
        reverse("checkout:checkout"), {**SHIPPING, "country": "FR"}, follow=True
    )

    assert '<select name="country"' in page
    assert '<option value="FR">France</option>' in page
    assert Order.objects.get().country == "FR"
    assert "France" in response.content.decode().split("<address")[1]


# Cancelling


def test_cancelling_with_htmx_shows_the_order_in_place_and_no_stock_badges(shopper, customer):
    # Named so that product-id order (how the service locks them) and name order differ.
    towel, mug = ProductFactory(name="Towel", quantity=5), ProductFactory(name="Mug", quantity=5)
    order = OrderFactory(customer=customer, lines={towel: 1, mug: 2})

    response = shopper.post(reverse("checkout:order_cancel", args=[order.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="order-status"' in html
    assert ">Cancelled<" in html
    assert html.index(">Mug<") < html.index(">Towel<")
    # The customer's own order is not the place for the shop's stock.
    assert f'id="stock-{mug.pk}"' not in html
    assert "left" not in html
    # The answer's message replaces "placed, choose how to pay" instead of joining it.
    assert 'hx-swap-oob="innerHTML:#messages"' in html
    assert f"{order} is cancelled." in html
    assert "Pay by card" not in html


def test_cancelling_without_javascript_redirects_to_the_order(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})

    response = shopper.post(reverse("checkout:order_cancel", args=[order.pk]), follow=True)

    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert b"is cancelled." in response.content


def test_cancelling_a_confirmed_order_from_its_page_restores_stock(shopper, customer):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    services.order_confirm(order=order, by_system=True)

    shopper.post(reverse("checkout:order_cancel", args=[order.pk]))

    assert Product.objects.get(pk=mug.pk).quantity == 5
    assert Order.objects.get().status == Order.Status.CANCELLED


def test_an_order_cancelled_by_the_system_says_why_on_its_page(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    services.order_cancel(order=order, by_system=True, reason="It was not paid in time.")

    html = shopper.get(order.get_absolute_url()).content.decode()

    assert "It was not paid in time." in html
    assert ">Cancelled<" in html


@pytest.mark.parametrize("action", ["order_detail", "order_cancel"])
def test_another_customers_order_is_a_404(shopper, action):
    order = OrderFactory(lines={ProductFactory(quantity=5): 1})
    method = shopper.get if action == "order_detail" else shopper.post

    response = method(reverse(f"checkout:{action}", args=[order.pk]))

    assert response.status_code == 404
    assert Order.objects.get().status == Order.Status.PLACED


def test_cancel_only_accepts_post(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})

    assert shopper.get(reverse("checkout:order_cancel", args=[order.pk])).status_code == 405
    assert Order.objects.get().status == Order.Status.PLACED


# My orders


def test_my_orders_lists_only_mine_newest_first_ten_a_page(shopper, customer):
    mine = [OrderFactory(customer=customer) for _ in range(12)]
    OrderFactory()  # someone else's

    first = shopper.get(reverse("checkout:order_list")).context["page"]
    second = shopper.get(reverse("checkout:order_list"), {"page": 2}).context["page"]

    assert [order.pk for order in first] == [order.pk for order in reversed(mine)][:10]
    assert [order.pk for order in second] == [mine[1].pk, mine[0].pk]


# The order page after confirmation


def test_the_order_page_shows_a_timeline_with_tracking_and_only_allowed_actions(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    services.order_confirm(order=order)
    services.order_ship(order=order, carrier="DHL", tracking_number="JD0146000012")

    html = shopper.get(order.get_absolute_url()).content.decode()

    assert html.index("<strong>Placed</strong>") < html.index("<strong>Confirmed</strong>")
    assert html.index("<strong>Confirmed</strong>") < html.index("<strong>Shipped</strong>")
    assert "JD0146000012" in html
    assert "tracking-id=JD0146000012" in html
    assert "Delivered" not in html
    assert "Cancel order" not in html  # shipped: the customer can no longer cancel
    assert "Pay by card" not in html


def test_a_customer_cannot_cancel_a_shipped_order_by_posting(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    services.order_confirm(order=order)
    services.order_ship(order=order, carrier="UPS", tracking_number="1Z")

    response = shopper.post(reverse("checkout:order_cancel", args=[order.pk]), **HTMX)

    assert response.status_code == 409
    assert "already shipped" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED


def test_the_order_page_polls_while_staff_have_work_and_hears_of_the_shipment(shopper, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    services.order_confirm(order=order)
    page = shopper.get(order.get_absolute_url())
    seen = page.context["version"]
    assert "?seen=" in page.content.decode()

    unchanged = shopper.get(order.get_absolute_url(), {"seen": seen}, **HTMX)
    services.order_ship(order=order, carrier="DHL", tracking_number="JD0146000012")
    changed = shopper.get(order.get_absolute_url(), {"seen": seen}, **HTMX)

    assert unchanged.status_code == 204
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert "JD0146000012" in changed.content.decode()


def test_a_placed_order_page_waits_for_its_payment_and_a_finished_one_does_not_poll(
    shopper, customer
):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})

    placed = shopper.get(order.get_absolute_url()).content.decode()
    services.order_cancel(order=order)
    cancelled = shopper.get(order.get_absolute_url()).content.decode()

    assert "?seen=" in placed  # money (a bank transfer recorded by staff) confirms it
    assert "?seen=" not in cancelled
