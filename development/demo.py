"""The shop's information pages for `manage.py seed_demo`: About, Shipping & returns,
Privacy and Contact, as flat pages staff can edit in the admin afterwards.

Running it again leaves pages that already exist alone, so staff edits survive.
"""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from money.formatting import format_money, format_percent


def _pages() -> list[tuple[str, str, str]]:
    shop = settings.SHOP_NAME
    rate = format_money(settings.SHIPPING_FLAT_RATE)
    free = settings.FREE_SHIPPING_THRESHOLD
    free_line = f" Orders from {format_money(free)} ship free." if free else ""
    tax = f"{settings.TAX_NAME} at {format_percent(settings.TAX_RATE)}%"
    return [
        (
            "/about/",
            "About us",
            f"<p>{shop} is a small shop for everyday goods: kitchen tools, stationery and "
            "things for the home, chosen because they last.</p>"
            "<p>Every product page shows the stock we really have, and the price you see "
            f"is the price you pay: it includes {tax}.</p>",
        ),
        (
            "/shipping-returns/",
            "Shipping & returns",
            f'<h2 class="h4">Shipping</h2><p>Every order ships for {rate}.{free_line} '
            "We pack orders on the working day after you confirm them.</p>"
            '<h2 class="h4">Returns</h2><p>Changed your mind? Send anything back unused '
            "within 30 days of delivery and we refund the price of the goods.</p>",
        ),
        (
            "/privacy/",
            "Privacy",
            "<p>We keep what we need to send your orders: your name, e-mail address and "
            "shipping address, and the orders themselves. We use one cookie to keep you "
            "signed in and to remember your cart, and no tracking of any kind.</p>"
            "<p>Ask us and we delete your account and everything that belongs to it, except "
            "the orders the law says we must keep.</p>",
        ),
        (
            "/contact/",
            "Contact",
            "<p>Questions about an order, a product or this site? Write to "
            '<a href="mailto:hello@example.com">hello@example.com</a>; we answer within one '
            "working day.</p>",
        ),
    ]


def seed(*, stdout) -> None:
    site = Site.objects.get_current()
    added = 0
    for url, title, content in _pages():
        page, created = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content}
        )
        page.sites.add(site)
        added += created
    stdout.write(f"storefront: {added} information page(s) added")
