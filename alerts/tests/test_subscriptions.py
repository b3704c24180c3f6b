"""Back in stock: subscribing (signed in, or a visitor confirming by e-mail), the account
page's list, and exactly one mail per subscriber per return to stock."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.tests.factories import UserFactory
from alerts import services
from alerts.models import LowStockAlert, StockSubscription
from catalog import services as catalog_services
from catalog.tests.factories import ProductFactory
from checkout import services as checkout_services
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The response's HTML with entities decoded ("we'll" rather than "we&#x27;ll")."""
    return html.unescape(response.content.decode())


def subscribe_url(product) -> str:
    return reverse("alerts:subscribe", args=[product.pk])


def confirm_url_in(mail: OutboundEmail) -> str:
    return re.search(r"https?://\S+(/alerts/confirm/\S+/)", mail.text_body).group(1)


def back_in_stock_mails(product) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(subject=f"{product.name} is back in stock").order_by("to")
    )


# Signed in


@pytest.mark.django_db
def test_a_shopper_subscribes_in_one_click_and_twice_is_one_subscription(client):
    user = UserFactory(email="ada@example.com")
    product = ProductFactory(name="Cast Iron Skillet", quantity=0)
    client.force_login(user)

    first = client.post(subscribe_url(product), **HTMX)
    second = client.post(subscribe_url(product), **HTMX)

    assert first.status_code == second.status_code == 200
    assert "we'll e-mail you once when Cast Iron Skillet is back" in text(first)
    assert "already on the list" in text(second)
    [subscription] = StockSubscription.objects.all()
    assert (subscription.email, subscription.user) == ("ada@example.com", user)


@pytest.mark.django_db
def test_without_javascript_subscribing_comes_back_to_the_product_page_with_a_message(client):
    client.force_login(UserFactory())
    product = ProductFactory(quantity=0)

    response = client.post(subscribe_url(product), follow=True)

    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    assert "we'll e-mail you once" in text(response)
    assert StockSubscription.objects.count() == 1


@pytest.mark.django_db
def test_a_product_in_stock_cannot_be_waited_for(client):
    client.force_login(UserFactory())
    product = ProductFactory(name="Mug", quantity=3)

    response = client.post(subscribe_url(product), **HTMX)

    assert response.status_code == 409
    assert "Mug is in stock now" in text(response)
    assert not StockSubscription.objects.exists()


@pytest.mark.django_db
def test_an_unknown_product_is_a_404(client):
    assert client.post(reverse("alerts:subscribe", args=[999999])).status_code == 404


# A visitor


@pytest.mark.django_db
def test_a_visitor_is_subscribed_only_after_following_the_mailed_link(client):
    product = ProductFactory(name="Cast Iron Skillet", quantity=0)

    response = client.post(subscribe_url(product), {"email": "Ada@Example.com"}, **HTMX)

    assert response.status_code == 200
    assert "open the link we sent to Ada@Example.com" in text(response)
    assert not StockSubscription.objects.exists()  # nobody can subscribe someone else
    [mail] = OutboundEmail.objects.all()
    assert mail.to == "ada@example.com"

    link = confirm_url_in(mail)
    page = client.get(link)
    assert page.status_code == 200
    assert not StockSubscription.objects.exists()  # opening the link changes nothing
    confirmed = client.post(link)
    client.post(link)  # twice: still one

    assert "Confirmed" in text(confirmed)
    [subscription] = StockSubscription.objects.all()
    assert (subscription.email, subscription.user, subscription.product) == (
        "ada@example.com",
        None,
        product,
    )


def _confirmed_visitor_link(client, product) -> str:
    """A visitor asks for `product`'s alert and follows the mailed link: the link, used."""
    client.post(subscribe_url(product), {"email": "ada@example.com"}, **HTMX)
    link = confirm_url_in(OutboundEmail.objects.get(subject__startswith="Confirm"))
    assert "Confirmed" in text(client.post(link))
    return link


@pytest.mark.django_db
def test_a_link_whose_subscription_was_answered_says_it_was_used_and_changes_nothing(client):
    product = ProductFactory(name="Cast Iron Skillet", quantity=0)
    link = _confirmed_visitor_link(client, product)
    catalog_services.restock(product=product, quantity=1)  # the mail goes out
    catalog_services.stock_take(product_id=product.pk, quantity=1)  # sold out again

    page = client.get(link)
    again = client.post(link)

    assert page.status_code == again.status_code == 409
    for answer in (page, again):
        assert "This link was already used" in text(answer)
        assert "Confirm</button>" not in text(answer)
    [subscription] = StockSubscription.objects.all()
    assert subscription.notified_at is not None  # answered, and nobody waits again
    assert len(back_in_stock_mails(product)) == 1


@pytest.mark.django_db
def test_a_link_whose_subscription_was_cancelled_does_not_bring_it_back(client):
    product = ProductFactory(quantity=0)
    link = _confirmed_visitor_link(client, product)
    subscription = StockSubscription.objects.get()
    client.force_login(UserFactory(email="ada@example.com"))
    client.post(reverse("alerts:unsubscribe", args=[subscription.pk]))

    again = client.post(link)

    assert again.status_code == 409
    assert "This link was already used" in text(again)
    assert not StockSubscription.objects.exists()


@pytest.mark.django_db
def test_a_link_refused_because_the_product_is_back_can_still_confirm_later(client):
    product = ProductFactory(quantity=0)
    client.post(subscribe_url(product), {"email": "ada@example.com"}, **HTMX)
    link = confirm_url_in(OutboundEmail.objects.get())
    catalog_services.restock(product=product, quantity=1)

    refused = client.post(link)
    catalog_services.stock_take(product_id=product.pk, quantity=1)
    confirmed = client.post(link)

    assert refused.status_code == 409
    assert "in stock now" in text(refused)
    assert "Confirmed" in text(confirmed)
    assert StockSubscription.objects.waiting().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.com"])
def test_a_bad_address_is_refused_clearly_and_nothing_is_saved_or_sent(client, email):
    product = ProductFactory(quantity=0)

    response = client.post(subscribe_url(product), {"email": email}, **HTMX)

    assert response.status_code == 422
    assert "e-mail address" in text(response)
    assert not StockSubscription.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_a_visitor_asking_too_often_is_told_to_wait(client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "stock-alert": {**settings.RATE_LIMITS["stock-alert"], "limit": 2},
    }
    product = ProductFactory(quantity=0)
    answers = [
        client.post(subscribe_url(product), {"email": f"person{n}@example.com"}, **HTMX)
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Too many requests just now" in answers[2].content.decode()
    assert answers[2]["Retry-After"]
    assert OutboundEmail.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nonsense", "eyJwcm9kdWN0IjoxfQ:1vBad:xyz"])
def test_an_altered_link_is_refused_with_what_to_do(client, token):
    response = client.post(reverse("alerts:confirm", args=[token]))

    assert response.status_code == 400
    assert "This link is not valid" in text(response)
    assert not StockSubscription.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, monkeypatch):
    product = ProductFactory(quantity=0)
    token = services.confirmation_token(product=product, email="ada@example.com")
    monkeypatch.setattr(services, "CONFIRMATION_MAX_AGE", -1)

    response = client.post(reverse("alerts:confirm", args=[token]))

    assert response.status_code == 400
    assert "expired" in text(response)
    assert not StockSubscription.objects.exists()


# The account page


@pytest.mark.django_db
def test_the_account_page_lists_the_shoppers_subscriptions_and_cancels_one(client):
    user = UserFactory(email="ada@example.com")
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=0)
    kettle = ProductFactory(name="Stovetop Kettle", quantity=0)
    mine = services.subscribe(product=skillet, email="ada@example.com", user=user)[0]
    # Confirmed as a visitor with the same address before signing up: also theirs.
    services.subscribe(product=kettle, email="ADA@example.com")
    services.subscribe(product=kettle, email="someone@example.com")
    client.force_login(user)

    page = client.get(reverse("account")).content.decode()
    assert "Back-in-stock e-mails" in page
    assert "Cast Iron Skillet" in page and "Stovetop Kettle" in page
    assert "someone@example.com" not in page

    response = client.post(reverse("alerts:unsubscribe", args=[mine.pk]), **HTMX)
    assert response.status_code == 200
    assert "Cast Iron Skillet" not in text(response).split("</section>")[0]
    assert not StockSubscription.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_nobody_can_cancel_someone_elses_subscription(client):
    theirs = services.subscribe(product=ProductFactory(quantity=0), email="bob@example.com")[0]
    client.force_login(UserFactory(email="ada@example.com"))

    response = client.post(reverse("alerts:unsubscribe", args=[theirs.pk]))

    assert response.status_code == 404
    assert StockSubscription.objects.filter(pk=theirs.pk).exists()


# Back in stock: the mails


@pytest.mark.django_db
def test_a_return_to_stock_mails_each_subscriber_once_and_closes_their_subscription(settings):
    settings.SITE_URL = "https://shop.example.com"
    product = ProductFactory(name="Cast Iron Skillet", slug="skillet", quantity=0)
    for email in ("ada@example.com", "bob@example.com"):
        services.subscribe(product=product, email=email)

    catalog_services.restock(product=product, quantity=5)
    catalog_services.restock(product=product, quantity=5)  # n → m: nothing more

    mails = back_in_stock_mails(product)
    assert [mail.to for mail in mails] == ["ada@example.com", "bob@example.com"]
    assert "https://shop.example.com/products/skillet/" in mails[0].text_body
    assert not StockSubscription.objects.waiting().exists()


@pytest.mark.django_db
def test_a_cancelled_order_bringing_a_product_back_mails_its_subscriber_once():
    product = ProductFactory(quantity=1)
    order = checkout_services.order_confirm(order=OrderFactory(lines={product: 1}))
    services.subscribe(product=product, email="ada@example.com")

    checkout_services.order_cancel(order=order)
    checkout_services.order_cancel(order=order)

    assert len(back_in_stock_mails(product)) == 1


@pytest.mark.django_db
def test_after_being_told_a_shopper_can_wait_again_for_the_next_return():
    product = ProductFactory(quantity=0)
    services.subscribe(product=product, email="ada@example.com")
    catalog_services.restock(product=product, quantity=1)
    catalog_services.stock_take(product_id=product.pk, quantity=1)

    services.subscribe(product=product, email="ada@example.com")
    catalog_services.restock(product=product, quantity=1)

    assert len(back_in_stock_mails(product)) == 2


@pytest.mark.django_db(transaction=True)
def test_restocks_racing_from_zero_mail_each_subscriber_exactly_once(race):
    """Real threads and transactions (run on PostgreSQL in CI): one mail per subscriber."""
    product = ProductFactory(quantity=0)
    for n in range(3):
        services.subscribe(product=product, email=f"person{n}@example.com")

    restocks = race(lambda _: catalog_services.restock(product=product.pk, quantity=2), range(4))

    assert restocks.raised == []
    assert [mail.to for mail in back_in_stock_mails(product)] == [
        "person0@example.com",
        "person1@example.com",
        "person2@example.com",
    ]


# Low stock: the staff's mail


@pytest.mark.django_db
def test_stock_running_low_mails_the_staff_address_once_per_crossing(settings):
    settings.SITE_URL = "https://shop.example.com"
    settings.SHOP_STAFF_EMAIL = "stock@shop.example.com"
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory(name="Enamel Mug", quantity=8)

    catalog_services.stock_take(product_id=product.pk, quantity=4)
    catalog_services.stock_take(product_id=product.pk, quantity=1)  # still low: no new mail

    [mail] = OutboundEmail.objects.all()
    assert mail.to == "stock@shop.example.com"
    assert mail.subject == "Low stock: Enamel Mug (4 left)"
    assert "Enamel Mug is running low: 4 left." in mail.text_body
    assert f"https://shop.example.com/admin/catalog/product/{product.pk}/change/" in mail.text_body
    assert LowStockAlert.objects.get().quantity == 4


@pytest.mark.django_db
def test_without_a_staff_address_every_staff_user_with_an_email_is_mailed(settings):
    settings.SHOP_STAFF_EMAIL = ""
    settings.LOW_STOCK_THRESHOLD = 5
    User = get_user_model()
    User.objects.create_user("boss", "boss@example.com", is_staff=True)
    User.objects.create_user("clerk", "", is_staff=True)  # no address: cannot be told
    User.objects.create_user("gone", "gone@example.com", is_staff=True, is_active=False)
    UserFactory(email="customer@example.com")
    product = ProductFactory(quantity=6)

    catalog_services.stock_take(product_id=product.pk, quantity=6)

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["boss@example.com"]
    assert "(sold out)" in OutboundEmail.objects.get().text_body


@pytest.mark.django_db
def test_an_account_with_an_unverified_address_neither_sees_nor_cancels_its_subscriptions(client):
    """A security probe's find: anyone could sign up with someone else's address and take over
    that address's back-in-stock subscriptions. Only a verified address gives them."""
    kettle = ProductFactory(name="Stovetop Kettle", quantity=0)
    graces = services.subscribe(product=kettle, email="grace@example.com")[0]
    client.force_login(UserFactory(email="grace@example.com", email_verified_at=None))

    page = client.get(reverse("account")).content.decode()
    cancel = client.post(reverse("alerts:unsubscribe", args=[graces.pk]))

    assert "Stovetop Kettle" not in page
    assert cancel.status_code == 404
    assert StockSubscription.objects.filter(pk=graces.pk).exists()


@pytest.mark.django_db
def test_an_account_with_an_unverified_address_is_mailed_a_link_instead_of_subscribing(client):
    """One click would put an address nobody has proved is theirs on a mailing list."""
    client.force_login(UserFactory(email="grace@example.com", email_verified_at=None))
    kettle = ProductFactory(name="Stovetop Kettle", quantity=0)

    response = client.post(subscribe_url(kettle), **HTMX)

    assert response.status_code == 200
    assert "open the link we sent to grace@example.com" in text(response)
    assert not StockSubscription.objects.exists()
    [mail] = OutboundEmail.objects.all()
    assert mail.to == "grace@example.com"
