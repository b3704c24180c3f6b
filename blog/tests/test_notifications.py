"""The comment notification as the author receives it, and its delivery through the worker."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from blog.models import Comment
from outbox.models import OutboundEmail
from outbox.services import RETRY_DELAYS
from outbox.tests.fixtures import run_worker, time_passes

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post():
    author = UserFactory(username="margit", email="margit@example.com")
    return PostFactory(author=author, title="Seasoning cast iron", slug="seasoning-cast-iron")


def test_the_author_gets_a_text_and_html_mail_with_subject_excerpt_and_link(settings, post):
    settings.SITE_URL = "https://shop.example.com"
    comment = CommentFactory(
        post=post,
        author=UserFactory(username="ada"),
        body="Does <b>this</b> work on enamel & steel?\nAsking for a friend.",
    )

    run_worker()

    [message] = mail.outbox
    assert message.to == ["margit@example.com"]
    assert message.subject == "New comment on “Seasoning cast iron” from ada"
    link = f"https://shop.example.com/blog/seasoning-cast-iron/#comment-{comment.pk}"
    assert "ada commented on your post “Seasoning cast iron”:" in message.body
    assert "Does <b>this</b> work on enamel & steel?\nAsking for a friend." in message.body
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Does &lt;b&gt;this&lt;/b&gt; work on enamel &amp; steel?<br>Asking" in html
    assert "<b>this</b>" not in html
    assert f'href="{link}"' in html


def test_a_long_comment_is_cut_to_an_excerpt(post):
    CommentFactory(post=post, body="word " * 400)

    run_worker()

    [message] = mail.outbox
    assert "word word" in message.body
    assert "word " * 100 not in message.body
    assert "…" in message.body


def test_the_worker_delivers_to_a_real_smtp_server(smtp_server, post):
    CommentFactory(post=post, author=UserFactory(username="ada"), body="Worked a treat.")

    run_worker()

    [received] = smtp_server.messages
    assert received["To"] == "margit@example.com"
    assert received["Subject"] == "New comment on “Seasoning cast iron” from ada"
    assert received.get_content_type() == "multipart/alternative"
    assert "Worked a treat." in received.get_body(("plain",)).get_content()
    assert "Worked a treat." in received.get_body(("html",)).get_content()
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_a_mail_server_outage_keeps_the_comment_and_delivers_once_it_is_back(smtp_outage, post):
    comment = CommentFactory(post=post, body="Is the skillet oven-safe?")
    run_worker()  # nothing listens on the port: refused

    assert Comment.objects.filter(pk=comment.pk).exists()
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error

    time_passes(RETRY_DELAYS[0])
    run_worker()  # still down
    assert OutboundEmail.objects.get().attempts == 2

    smtp_outage.start()
    run_worker()  # too early for the next attempt: nothing yet
    assert smtp_outage.messages == []
    time_passes(RETRY_DELAYS[1])
    run_worker()
    time_passes(timedelta(days=1))
    run_worker()  # anything left over would run now: nothing is

    [received] = smtp_outage.messages
    assert "Is the skillet oven-safe?" in received.get_body(("plain",)).get_content()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 3)
