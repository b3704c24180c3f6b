"""The soak's books, read through the ORM: what the shoppers did, and the mail it owes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import OrderFactory
from loadtest import books
from outbox.models import OutboundEmail
from payments import services as payments

pytestmark = pytest.mark.django_db


def test_the_shoppers_facts_are_named_urls_of_stocked_products_and_posts():
    stocked = ProductFactory(quantity=3)
    ProductFactory(quantity=0)
    post = PostFactory()

    facts = books.soak_facts()

    assert facts["cart_add_paths"] == [reverse("checkout:cart_add", args=[stocked.pk])]
    assert facts["comment_paths"] == [reverse("blog:comment_create", args=[post.slug])]


def test_the_books_count_what_was_confirmed_and_the_mail_it_owes():
    since = timezone.now() - timedelta(seconds=1)
    mug = ProductFactory(quantity=10)
    order = OrderFactory(lines={mug: 3})
    payment = payments.payment_start(
        order_id=order.pk, customer=order.customer, method="bank_transfer"
    )
    payments.transfer_received(payment=payment)  # paid: the order is confirmed
    OrderFactory(lines={mug: 1})  # placed, never confirmed
    post = PostFactory()
    comment = CommentFactory(post=post)
    CommentFactory(post=post, author=post.author)  # on one's own post: no mail owed
    UserFactory()

    found = books.books(since=since)

    assert found["stock"] == {mug.pk: 7}
    assert found["sold"] == {mug.pk: 3}
    assert found["confirmed"] == 1
    assert found["comments"] == 2
    mail = dict(OutboundEmail.objects.values_list("key", "pk"))
    assert found["expected"] == {
        "comment": {
            f"blog.comment.{comment.pk}.notify-author": mail[
                f"blog.comment.{comment.pk}.notify-author"
            ]
        },
        "order": {
            f"checkout.order.{order.pk}.confirmed": mail[f"checkout.order.{order.pk}.confirmed"]
        },
        "payment": {
            f"payments.payment.{payment.pk}.captured": mail[
                f"payments.payment.{payment.pk}.captured"
            ]
        },
    }
    # The bank details, the confirmation, the payment received, the comment.
    assert books.mail_waiting(since=since) == 4
