from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from blog.models import Comment

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reader(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    return user


def _comment_url(post) -> str:
    return reverse("blog:comment_create", kwargs={"slug": post.slug})


def test_index_lists_published_posts_newest_first_with_comment_counts(client):
    older = PostFactory(title="Older post", published_at=timezone.now() - timedelta(days=2))
    newer = PostFactory(title="Newer post", published_at=timezone.now() - timedelta(days=1))
    PostFactory(title="Secret draft", draft=True)
    CommentFactory.create_batch(2, post=older)
    CommentFactory(post=older, is_visible=False)

    response = client.get(reverse("blog:post_list"))

    assert list(response.context["page"]) == [newer, older]
    html = response.content.decode()
    assert "Secret draft" not in html
    assert "2 comments" in html
    assert "0 comments" in html


def test_index_is_paginated(client):
    PostFactory.create_batch(11)

    first = client.get(reverse("blog:post_list"))
    second = client.get(reverse("blog:post_list"), {"page": 2})

    assert len(first.context["page"]) == 10
    assert b"Older posts" in first.content
    assert len(second.context["page"]) == 1


@pytest.mark.parametrize("count", [10, 100])
def test_index_runs_the_same_two_queries_whatever_the_number_of_posts(
    client, django_assert_num_queries, count
):
    for post in PostFactory.create_batch(count):
        CommentFactory(post=post)

    # One COUNT for the paginator, one SELECT with authors and comment counts.
    with django_assert_num_queries(2):
        client.get(reverse("blog:post_list"))


def test_post_page_shows_visible_comments_oldest_first_with_anchors(client):
    post = PostFactory(body="First paragraph.\n\nSecond paragraph.")
    second = CommentFactory(post=post, body="Second!", created_at=timezone.now())
    first = CommentFactory(post=post, body="First!", created_at=timezone.now() - timedelta(hours=1))
    CommentFactory(post=post, body="Spam, spam, spam", is_visible=False)

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="comment-{first.pk}"') < html.index(f'id="comment-{second.pk}"')
    assert f'href="#comment-{first.pk}"' in html
    assert "Spam" not in html
    assert "2 comments" in html
    assert "<p>First paragraph.</p>\n\n<p>Second paragraph.</p>" in html


def test_comment_bodies_are_escaped_and_keep_their_line_breaks(client):
    post = PostFactory()
    CommentFactory(post=post, body="<script>alert(1)</script>\nsecond line")

    html = client.get(post.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in html


@pytest.mark.parametrize("count", [10, 100])
def test_post_page_runs_the_same_two_queries_whatever_the_number_of_comments(
    client, django_assert_num_queries, count
):
    post = PostFactory()
    CommentFactory.create_batch(count, post=post)

    # The post with its author, the comments with theirs.
    with django_assert_num_queries(2):
        response = client.get(post.get_absolute_url())
    assert f"{count} comments" in response.content.decode()


@pytest.mark.parametrize("state", [{"draft": True}, {"published_at": None}])
def test_drafts_and_unknown_posts_are_not_found(client, state):
    if state.get("draft"):
        url = PostFactory(draft=True).get_absolute_url()
    else:
        url = reverse("blog:post_detail", kwargs={"slug": "no-such-post"})

    assert client.get(url).status_code == 404


def test_visitors_are_invited_to_sign_in_and_brought_back_to_the_post(client):
    post = PostFactory(slug="on-wood")

    html = client.get(post.get_absolute_url()).content.decode()

    assert 'id="comment-form"' not in html
    assert 'href="/accounts/login/?next=/blog/on-wood/%23comments">Sign in to comment</a>' in html


def test_a_signed_in_reader_sees_the_comment_form(client, reader):
    post = PostFactory()

    html = client.get(post.get_absolute_url()).content.decode()

    assert f'action="{_comment_url(post)}"' in html
    assert f'hx-post="{_comment_url(post)}"' in html
    assert "Your comment" in html


def test_an_htmx_comment_comes_back_as_the_new_comment_the_new_count_and_a_fresh_form(
    client, reader
):
    post = PostFactory()
    CommentFactory(post=post)

    response = client.post(_comment_url(post), {"body": "Tried it: works.\nThanks!"}, **HTMX)

    assert response.status_code == 200
    comment = Comment.objects.get(author=reader)
    assert (comment.post, comment.body) == (post, "Tried it: works.\nThanks!")
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="comment-form"')
    assert "Tried it: works.<br>Thanks!</div>" in html
    assert 'hx-swap-oob="beforeend:#comment-list"' in html
    assert f'<li id="comment-{comment.pk}"' in html
    assert 'id="comment-count" class="h4 mb-3" data-hx-swap-oob="true"' in html
    assert "2 comments" in html
    assert "Thanks, your comment is posted." in html
    assert "<html" not in html
    # The fresh form is empty.
    assert "Thanks!</textarea>" not in html


def test_without_javascript_a_comment_redirects_to_its_anchor(client, reader):
    post = PostFactory()

    response = client.post(_comment_url(post), {"body": "Plain and simple."}, follow=True)

    comment = Comment.objects.get()
    assert response.redirect_chain == [(comment.get_absolute_url(), 302)]
    assert b"Plain and simple." in response.content
    assert b"Thanks, your comment is posted." in response.content


def test_an_empty_htmx_comment_returns_the_form_with_its_error(client, reader):
    post = PostFactory()

    response = client.post(_comment_url(post), {"body": "  \n "}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="comment-form"')
    assert "Please write something before posting." in html
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists()


def test_a_too_long_htmx_comment_returns_the_form_with_its_error_and_keeps_the_text(client, reader):
    post = PostFactory()
    body = "Words, " * 285 + "and more."  # 2,004 characters

    response = client.post(_comment_url(post), {"body": body}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="comment-form"')
    assert "Please keep comments to 2,000 characters (this one has 2,004)." in html
    assert f"{body}</textarea>" in html
    assert not Comment.objects.exists()


def test_an_invalid_plain_comment_shows_the_page_again_with_the_error(client, reader):
    post = PostFactory()

    response = client.post(_comment_url(post), {"body": ""})

    assert response.status_code == 422
    assert b"<html" in response.content
    assert b"Please write something before posting." in response.content
    assert not Comment.objects.exists()


def test_line_breaks_sent_as_crlf_count_once_against_the_limit(client, reader):
    post = PostFactory()
    body = ("x" * 99 + "\r\n") * 20  # 2,000 characters as typed, 2,020 as sent

    response = client.post(_comment_url(post), {"body": body}, **HTMX)

    assert response.status_code == 200
    assert len(Comment.objects.get().body) == 2000 - 1  # the last line break is stripped


def test_a_visitor_posting_a_comment_is_sent_to_sign_in_and_nothing_is_saved(client):
    post = PostFactory(slug="on-wood")

    plain = client.post(_comment_url(post), {"body": "Hello"})
    htmx = client.post(_comment_url(post), {"body": "Hello"}, **HTMX)

    assert plain.status_code == 302
    assert plain.url == "/accounts/login/?next=/blog/on-wood/%23comments"
    assert htmx["HX-Redirect"] == plain.url
    assert not Comment.objects.exists()


def test_comments_on_drafts_are_refused(client, reader):
    post = PostFactory(draft=True)

    response = client.post(_comment_url(post), {"body": "Early!"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_the_comment_url_takes_only_posts(client, reader):
    assert client.get(_comment_url(PostFactory())).status_code == 405


def test_the_navbar_links_to_the_blog(client):
    html = client.get(reverse("catalog:product_list")).content.decode()

    assert f'<a class="nav-link" href="{reverse("blog:post_list")}">Blog</a>' in html


# Rate limit


def test_a_reader_may_post_ten_comments_in_ten_minutes(client, reader):
    post = PostFactory()
    for number in range(10):
        assert client.post(_comment_url(post), {"body": f"Thought {number}"}).status_code == 302

    response = client.post(_comment_url(post), {"body": "One thought too many"}, **HTMX)

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="comment-form"')
    assert "Please wait 10 minutes before posting again." in html
    assert "One thought too many" in html  # kept in the box, to post later
    assert Comment.objects.filter(author=reader).count() == 10


def test_a_plain_comment_over_the_limit_shows_the_page_with_the_message(client, reader, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "comment": {"limit": 1, "window": timedelta(minutes=10)},
    }
    post = PostFactory()
    client.post(_comment_url(post), {"body": "First"})

    response = client.post(_comment_url(post), {"body": "Second"})

    assert response.status_code == 429
    assert "Please wait 10 minutes before posting again." in response.content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["First"]


def test_the_comment_limit_is_per_reader_and_refused_comments_do_not_count(
    client, reader, settings
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "comment": {"limit": 1, "window": timedelta(minutes=10)},
    }
    post = PostFactory()
    for _ in range(3):
        assert client.post(_comment_url(post), {"body": ""}).status_code == 422
    assert client.post(_comment_url(post), {"body": "Ada's one comment"}).status_code == 302

    client.force_login(UserFactory(username="grace"))

    assert client.post(_comment_url(post), {"body": "Grace's one comment"}).status_code == 302
