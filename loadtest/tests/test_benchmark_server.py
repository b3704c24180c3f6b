"""Signing in as the benchmark does, against a live server: the cookies and CSRF header
that bench.lua sends must make a real POST succeed."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import User
from catalog.models import Product
from checkout.models import Cart, CartItem
from loadtest.server import ServerError, fetch, sign_in, sign_up


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_session_can_post_with_its_csrf_header(live_server):
    # What the wrk scripts send: the cookies of a real sign-in and the token as a header.
    user = User.objects.create_user("shopper", password="a long enough password")
    product = Product.objects.create(name="Mug", slug="mug", price=5, quantity=10)

    session = sign_in(live_server.url, "shopper", "a long enough password")
    answer = fetch(
        live_server.url,
        "POST",
        f"/cart/add/{product.pk}/",
        headers={
            "Cookie": session.cookie,
            "X-CSRFToken": session.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode({"quantity": 1}),
    )

    assert answer.status == 200
    assert CartItem.objects.get(cart=Cart.objects.get(user=user)).quantity == 1


@pytest.mark.django_db(transaction=True)
def test_signing_in_with_a_wrong_password_fails_loudly(live_server):
    User.objects.create_user("shopper", password="a long enough password")

    with pytest.raises(ServerError, match="Signing in as shopper failed"):
        sign_in(live_server.url, "shopper", "wrong")


@pytest.mark.django_db(transaction=True)
def test_a_shopper_signed_up_through_the_form_keeps_the_cookies_each_answer_sets(live_server):
    session = sign_up(live_server.url, "newcomer", "a long enough password")

    assert session.get(live_server.url, reverse("account")).status == 200
    signed_out = session.post(live_server.url, reverse("logout"))
    assert signed_out.status == 302
    assert session.after(signed_out).get(live_server.url, reverse("account")).status == 302
    assert User.objects.filter(username="newcomer").exists()
