"""The dashboard as staff use it: the admin's first page, its buttons, its reports."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from alerts.models import StockSubscription
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from dashboard.queries import LIST_LENGTH
from outbox.models import OutboundEmail
from outbox.tests.factories import OutboundEmailFactory

from .factories import sale
from .test_queries import QUERY_BUDGET

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="olive", is_staff=True, is_superuser=True))
    return client


def clerk(client, *permissions: str):
    """A member of staff allowed only `permissions` ("catalog.view_product", ...)."""
    user = UserFactory(is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_staff_open_the_admin_on_the_dashboard_with_the_model_list_below(staff):
    sale(timezone.now(), "42.00")

    response = staff.get(DASHBOARD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Shop management</h1>" in html  # the admin's own title and look
    for part in ["To do", "Orders to ship: 1", "How it goes", "Reports to take away"]:
        assert part in html
    assert f'href="{reverse("admin:checkout_order_changelist")}"' in html  # the models
    assert re.search(r"As of <time datetime=\"[^\"]+\">\d\d:\d\d</time>", html)


@pytest.mark.parametrize("who", ["visitor", "shopper"])
def test_only_staff_see_the_dashboard(client, who):
    if who == "shopper":
        client.force_login(UserFactory())

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_chart_is_an_svg_drawn_on_the_server_with_words_for_screen_readers(staff):
    sale(timezone.now(), "42.00")

    html = staff.get(DASHBOARD).content.decode()

    [revenue] = re.findall(r'<svg class="chart".*?</svg>', html, re.S)[:1]
    assert 'role="img"' in revenue
    assert 'aria-labelledby="revenue-chart-title revenue-chart-desc"' in revenue
    assert '<title id="revenue-chart-title">Revenue per day, the last 30 days</title>' in revenue
    assert '<desc id="revenue-chart-desc">' in revenue
    assert revenue.count('<rect class="chart-bar') == 30
    assert "$42.00" in revenue
    # The strict CSP: no script, no inline style, on the whole page.
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    # The same numbers as a table.
    assert "<summary>The same numbers, day by day</summary>" in html


def test_the_page_says_what_counts_and_in_which_time_zone(staff, settings):
    settings.TIME_ZONE = "Europe/Paris"

    html = staff.get(DASHBOARD).content.decode()

    assert "An order counts as a sale on the day it was confirmed" in html
    assert "midnight to midnight in Europe/Paris" in html
    assert "(Europe/Paris)" in html


def test_amounts_go_through_the_shops_formatter(staff, settings):
    settings.MONEY_LOCALE = "de_DE"
    settings.CURRENCY = "EUR"
    sale(timezone.now(), "1234.50", currency="EUR")

    html = staff.get(DASHBOARD).content.decode()

    assert "1.234,50\xa0€" in html


def test_the_page_costs_its_query_budget_however_many_orders(staff):
    product = ProductFactory()

    def page_queries(orders: int) -> int:
        for _ in range(orders):
            OrderFactory(
                lines={product: 1}, status=Order.Status.CONFIRMED, confirmed_at=timezone.now()
            )
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(f"{DASHBOARD}?refresh").status_code == 200
        return len(captured)

    # The session read with its user (accounts/sessions.py), and the dashboard's own.
    assert page_queries(2) == page_queries(40) == 1 + QUERY_BUDGET


def test_a_second_look_within_the_minute_reads_nothing_of_the_dashboard(staff):
    staff.get(DASHBOARD)

    with CaptureQueriesContext(connection) as captured:
        staff.get(DASHBOARD)

    assert len(captured) == 1  # the session with its user


def test_restock_goes_through_the_catalogs_service_and_tells_those_waiting(staff):
    candles = ProductFactory(name="Beeswax candles", quantity=0)
    StockSubscription.objects.create(product=candles, email="ada@example.com")
    staff.get(DASHBOARD)  # the dashboard is in the cache now

    response = staff.post(
        reverse("dashboard:restock", args=[candles.pk]), {"quantity": "6"}, follow=True
    )

    assert response.redirect_chain == [(f"{DASHBOARD}#to-do", 302)]
    assert "Beeswax candles: 6 added, 6 in stock." in messages_of(response)
    assert Product.objects.get(pk=candles.pk).quantity == 6
    # The service announced it back in stock, and the alerts app queued the mail.
    assert OutboundEmail.objects.filter(to="ada@example.com").count() == 1
    # The page shows the new stock at once: the restock dropped the cached dashboard.
    assert "Nobody is waiting for a sold-out product." in response.content.decode()


@pytest.mark.parametrize(
    "quantity, says",
    [
        ("", "Enter how many units arrived."),
        ("0", "Add at least 1 unit."),
        ("-3", "Add at least 1 unit."),
        ("two", "Enter a whole number of units."),
        ("100001", "Add at most 100000 units at once."),
    ],
)
def test_a_restock_of_a_bad_quantity_says_why_and_adds_nothing(staff, quantity, says):
    mug = ProductFactory(name="Mug", quantity=2)

    response = staff.post(
        reverse("dashboard:restock", args=[mug.pk]), {"quantity": quantity}, follow=True
    )

    assert messages_of(response) == [f"Mug: {says} Nothing was added."]
    assert Product.objects.get(pk=mug.pk).quantity == 2


def test_restocking_needs_the_right_to_change_products(client):
    mug = ProductFactory(quantity=2)
    clerk(client, "catalog.view_product", "checkout.view_order")

    response = client.post(reverse("dashboard:restock", args=[mug.pk]), {"quantity": "5"})

    assert response.status_code == 403
    assert Product.objects.get(pk=mug.pk).quantity == 2
    page = client.get(DASHBOARD).content.decode()
    assert "Running low" in page and "Restock" not in page


def test_re_send_gives_a_failed_mail_fresh_attempts_through_the_outbox(staff):
    mail = OutboundEmailFactory(failed=True, to="grace@example.com")

    response = staff.post(reverse("dashboard:resend", args=[mail.pk]), follow=True)

    assert "1 e-mail queued to be sent again." in messages_of(response)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutboundEmail.Status.PENDING, 0)
    assert mail.task_id  # a delivery task waits for it
    assert "No failed mail." in response.content.decode()


def test_re_send_leaves_a_sent_mail_alone(staff):
    mail = OutboundEmailFactory(sent=True)

    response = staff.post(reverse("dashboard:resend", args=[mail.pk]), follow=True)

    assert messages_of(response) == ["Nothing to re-send: that mail was sent, or is being sent."]
    mail.refresh_from_db()
    assert mail.status == OutboundEmail.Status.SENT


def test_re_send_all_queues_every_failed_mail_and_nothing_else(staff):
    failed = OutboundEmailFactory.create_batch(3, failed=True)
    sent = OutboundEmailFactory(sent=True)

    response = staff.post(reverse("dashboard:resend_failed"), follow=True)

    assert "3 e-mails queued to be sent again." in messages_of(response)
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert {statuses[mail.pk] for mail in failed} == {OutboundEmail.Status.PENDING}
    assert statuses[sent.pk] == OutboundEmail.Status.SENT


def test_re_sending_needs_the_right_to_change_mail(client):
    mail = OutboundEmailFactory(failed=True)
    clerk(client, "outbox.view_outboundemail")

    assert client.post(reverse("dashboard:resend", args=[mail.pk])).status_code == 403
    mail.refresh_from_db()
    assert mail.status == OutboundEmail.Status.FAILED


def test_a_clerk_sees_only_the_parts_they_may_see(client):
    sale(timezone.now(), "42.00")
    clerk(client, "outbox.view_outboundemail")

    html = client.get(DASHBOARD).content.decode()

    assert "Failed mail" in html
    for hidden in ["Orders to ship", "Running low", "How it goes", "Reports to take away"]:
        assert hidden not in html


def test_the_orders_admin_page_links_to_its_packing_slip(staff):
    order = OrderFactory(lines={ProductFactory(): 1})

    html = staff.get(reverse("admin:checkout_order_change", args=[order.pk])).content.decode()

    assert f'href="{reverse("dashboard:packing_slips")}?order={order.pk}">Packing slip</a>' in html


def test_the_to_ship_list_offers_the_slips_of_every_order_listed(staff):
    first, second = sale(timezone.now()), sale(timezone.now())

    html = staff.get(DASHBOARD).content.decode()

    link = f"{reverse('dashboard:packing_slips')}?order={first.pk}&amp;order={second.pk}"
    assert f'href="{link}">Packing slips for all 2 listed</a>' in html
    assert html.count('type="checkbox" name="order"') == 2


def test_a_packing_slip_shows_what_goes_in_the_parcel_and_where_without_prices(staff):
    skillet = ProductFactory(name="Cast Iron Skillet", price=Decimal("48.00"))
    mugs = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"))
    order = OrderFactory(lines={skillet: 1, mugs: 3}, shipping_name="Ada Lovelace")

    response = staff.get(reverse("dashboard:packing_slips"), {"order": order.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Packing slip · Order #{order.pk}" in html
    assert "Ada Lovelace" in html and "SW1Y 4JH London" in html and "United Kingdom" in html
    assert re.search(r'slip-quantity">3</td>\s*<td>Enamel Camp Mug</td>', html)
    assert "$" not in html


def test_packing_slips_come_in_the_order_asked_for(staff):
    orders = [OrderFactory(lines={ProductFactory(): 1}) for _ in range(3)]
    asked = [orders[2].pk, orders[0].pk, orders[1].pk]

    html = staff.get(reverse("dashboard:packing_slips"), {"order": asked}).content.decode()

    assert re.findall(r"Order #(\d+)</h2>", html) == [str(pk) for pk in asked]
    assert "3 packing slips" in html


@pytest.mark.parametrize(
    "query, status, says",
    [
        ("", 400, "Choose at least one order."),
        ("order=abc", 400, "“abc” is not an order number."),
        ("order=-1", 400, "“-1” is not an order number."),
        ("order=0", 400, "“0” is not an order number."),
        (f"order={'9' * 30}", 400, "is not an order number."),
        ("order=" + "&order=".join(str(n) for n in range(1, 102)), 400, "at most 100 orders"),
        ("order=999999", 404, "We could not find that page"),
    ],
)
def test_packing_slips_for_orders_that_cannot_be_say_so(staff, query, status, says):
    response = staff.get(f"{reverse('dashboard:packing_slips')}?{query}")

    assert response.status_code == status
    assert says in response.content.decode()


def test_packing_slips_are_for_staff_who_may_see_orders(client):
    order = OrderFactory()
    clerk(client, "catalog.view_product")

    response = client.get(reverse("dashboard:packing_slips"), {"order": order.pk})

    assert response.status_code == 403


def test_more_orders_to_ship_than_listed_lead_to_all_of_them_in_the_admin(staff):
    orders = [sale(timezone.now()) for _ in range(LIST_LENGTH + 1)]
    OrderFactory()  # placed: not to ship

    html = staff.get(DASHBOARD).content.decode()
    [link] = re.findall(rf'href="([^"]+)">All {LIST_LENGTH + 1} to ship</a>', html)
    changelist = staff.get(link.replace("&amp;", "&"))

    assert changelist.status_code == 200
    assert f"{len(orders)} orders" in changelist.content.decode()
