"""The pages a shopper sees, rendered from the demo data, for checks that apply to all.

`render_shop_pages(client)` seeds the demo shop, signs the demo shopper in with something in
the cart and one placed order, and returns {page name: HTML}.
"""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from blog.models import Comment, Post
from catalog.models import Product
from checkout.models import Order

# The pages issue 12 names, plus the other pages every shopper meets.
PAGES = [
    "home",
    "search",
    "product",
    "sold out product",
    "cart",
    "checkout",
    "order",
    "orders",
    "account",
    "blog",
    "post",
    "about",
    "sign in",
    "sign up",
]


def render_shop_pages(client) -> dict[str, str]:
    call_command("seed_demo", stdout=StringIO())
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)
    in_stock = Product.objects.in_stock().order_by("pk").first()
    sold_out = Product.objects.filter(quantity=0).order_by("pk").first()
    post = Post.objects.published().first()
    Comment.objects.create(post=post, author=shopper, body="Lovely, thank you.")

    client.post(reverse("checkout:cart_add", args=[in_stock.pk]), {"quantity": 1})
    client.post(reverse("checkout:checkout"), _profile_address(client))
    order = Order.objects.filter(customer=shopper).latest("pk")
    client.post(reverse("checkout:cart_add", args=[in_stock.pk]), {"quantity": 2})

    urls = {
        "home": reverse("catalog:product_list"),
        "search": reverse("catalog:product_list") + "?q=mug",
        "product": in_stock.get_absolute_url(),
        "sold out product": sold_out.get_absolute_url(),
        "cart": reverse("checkout:cart"),
        "checkout": reverse("checkout:checkout"),
        "order": order.get_absolute_url(),
        "orders": reverse("checkout:order_list"),
        "account": reverse("account"),
        "blog": reverse("blog:post_list"),
        "post": post.get_absolute_url(),
        "about": "/pages/about/",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content.decode()
    client.logout()
    for name, url in {"sign in": reverse("login"), "sign up": reverse("signup")}.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content.decode()
    assert list(pages) == PAGES
    return pages


def _profile_address(client) -> dict:
    form = client.get(reverse("checkout:checkout")).context["form"]
    return {name: form[name].value() or "" for name in form.fields}
