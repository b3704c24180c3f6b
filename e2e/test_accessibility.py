"""axe-core scans of the pages shoppers, readers and staff use: no serious or critical violation.

Each page is scanned in a state that shows what it can show: badges in every colour, a second
page of results, a cart line that exceeds the stock, an order awaiting payment, a post
with comments under the comment form (signed in) or the invitation to sign in (signed out).
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from catalog.tests.factories import CategoryFactory, ProductFactory, ProductImageFactory
from checkout.models import Order
from checkout.tests.factories import CartFactory, CartItemFactory, OrderFactory

# Impacts that fail the scan. Moderate and minor findings are worth reading, not blocking.
BLOCKING_IMPACTS = {"serious", "critical"}
# axe retired its duplicate-id rules with WCAG 2.2, but the shop still relies on unique ids:
# labels, aria-describedby and htmx targets find their element by id, and a second element
# with the same id is never found. So they run too, and fail the scan whatever their impact.
DUPLICATE_ID_RULES = {"duplicate-id", "duplicate-id-active", "duplicate-id-aria"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"duplicate-id": {"enabled": True}, "duplicate-id-active": {"enabled": True}},
}


def serious_violations(page: Page) -> list[dict]:
    """axe's violations on the page as it is now that must not ship."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [
        violation
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in DUPLICATE_ID_RULES
    ]


def report(violations: list[dict]) -> str:
    """Each violated rule with its impact and advice, then every element that breaks it."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.extend(f"       {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def sign_in_as(page: Page, user: User, base_url: str) -> None:
    """Give the browser a signed-in session: these tests are about pages, not the sign-in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@dataclass
class Visit:
    """Where to go, and as whom (nobody: a visitor)."""

    url: str
    user: User | None = None


# One function a page: it arranges what the page shows and says where to go.


def _shelves() -> list:
    """In stock, running low, sold out: a badge in every colour; pictures, in a category."""
    cookware = CategoryFactory(name="Cookware", parent=CategoryFactory(name="Kitchen"))
    shelf = {"category": cookware, "pictured": True}
    return [
        ProductFactory(name="Enamel Camp Mug", quantity=42, **shelf),
        ProductFactory(
            name="Cast Iron Skillet", quantity=3, description="Pre-seasoned.\n\nHeavy.", **shelf
        ),
        ProductFactory(name="Beeswax Candle Pair", quantity=0, **shelf),
    ]


def home() -> Visit:
    _shelves()
    ProductFactory.create_batch(12)  # a second page: the pagination is scanned too
    return Visit("/")


def category() -> Visit:
    """A child category, filtered, with a filter it cannot read: breadcrumbs, both menus,
    the notice and the counts."""
    skillet = _shelves()[1]
    return Visit(f"{skillet.category.get_absolute_url()}?in_stock=on&min_price=abc&sort=price")


def no_results() -> Visit:
    _shelves()
    return Visit("/?q=skillet&max_price=1")


def product() -> Visit:
    """With a gallery and related products."""
    skillet = _shelves()[1]
    ProductImageFactory.create_batch(2, product=skillet)
    return Visit(skillet.get_absolute_url())


def cart() -> Visit:
    mug, skillet, _ = _shelves()
    shopper = UserFactory()
    basket = CartFactory(user=shopper)
    CartItemFactory(cart=basket, product=mug, quantity=2)
    CartItemFactory(cart=basket, product=skillet, quantity=5)  # more than the 3 left
    return Visit(reverse("checkout:cart"), shopper)


def checkout() -> Visit:
    mug, *_ = _shelves()
    shopper = UserFactory()
    CartItemFactory(cart=CartFactory(user=shopper), product=mug)
    return Visit(reverse("checkout:checkout"), shopper)


def order() -> Visit:
    mug, skillet, _ = _shelves()
    placed = OrderFactory(lines={mug: 1, skillet: 2})
    return Visit(placed.get_absolute_url(), placed.customer)


def account() -> Visit:
    return Visit(reverse("account"), UserFactory())


def account_edit() -> Visit:
    return Visit(reverse("account_edit"), UserFactory())


def signup() -> Visit:
    return Visit(reverse("signup"))


def sign_in() -> Visit:
    return Visit(reverse("login"))


def blog_index() -> Visit:
    CommentFactory(post=PostFactory(title="Seasoning cast iron"))
    PostFactory.create_batch(10)  # a second page
    return Visit(reverse("blog:post_list"))


def _post_with_comments():
    post = PostFactory(title="Seasoning cast iron", body="Oil it.\n\nHeat it.\n\nRepeat.")
    CommentFactory.create_batch(2, post=post)
    return post


def blog_post() -> Visit:
    return Visit(_post_with_comments().get_absolute_url(), UserFactory())


def blog_post_signed_out() -> Visit:
    return Visit(_post_with_comments().get_absolute_url())


def information_page() -> Visit:
    call_command("seed_demo", stdout=StringIO())
    return Visit("/pages/shipping-returns/")


def _demo_staff() -> User:
    """The demo's month of trade (orders to ship, low stock, a failed mail, people waiting
    for sold-out products), and its member of staff."""
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(username="owner")


def dashboard() -> Visit:
    """The admin's first page with every part filled in."""
    return Visit(reverse("admin:index"), _demo_staff())


def packing_slips() -> Visit:
    staff = _demo_staff()
    orders = Order.objects.filter(status=Order.Status.CONFIRMED).values_list("pk", flat=True)
    return Visit(f"{reverse('dashboard:packing_slips')}?order={orders[0]}&order={orders[1]}", staff)


PAGES = [
    home,
    category,
    no_results,
    product,
    cart,
    checkout,
    order,
    account,
    account_edit,
    signup,
    sign_in,
    blog_index,
    blog_post,
    blog_post_signed_out,
    information_page,
    dashboard,
    packing_slips,
]


@pytest.mark.parametrize("arrange", PAGES, ids=lambda arrange: arrange.__name__)
def test_page_has_no_serious_accessibility_violation(page: Page, base_url: str, arrange):
    visit = arrange()
    if visit.user:
        sign_in_as(page, visit.user, base_url)

    page.goto(visit.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    violations = serious_violations(page)
    assert not violations, f"axe on {visit.url}:\n{report(violations)}"


def test_a_sign_up_form_showing_errors_has_no_serious_accessibility_violation(page: Page):
    UserFactory(username="ada")
    page.goto(reverse("signup"))
    page.get_by_label("Username").fill("ada")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("A user with that username already exists.")).to_be_visible()

    violations = serious_violations(page)
    assert not violations, f"axe on the sign-up form with errors:\n{report(violations)}"
