"""Bad input to the blog (pages, comments) gets a clear answer and changes nothing; the
cases' helper is storefront/tests/badinput.py.
"""

import pytest
from django.utils.html import escape

from outbox.models import OutboundEmail
from storefront.tests.badinput import (
    ATTRIBUTE_BREAKOUT,
    NOT_FOUND,
    NUL_REFUSED,
    RTL_AND_EMOJI,
    SCRIPT,
    Case,
    check_answer,
    check_csrf,
    check_wrong_method,
    database_rows,
    p,
    v,
    wrong_methods,
)

pytestmark = pytest.mark.django_db

BLOG = [
    p(
        "comment-empty",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": ""},
        status=422,
        says="Please write something before posting.",
    ),
    p(
        "comment-blank",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": " \r\n\t "},
        status=422,
        htmx=True,
        says="Please write something before posting.",
    ),
    p(
        "comment-oversized",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "x" * 2001},
        status=422,
        htmx=True,
        says="Please keep comments to 2,000 characters (this one has 2,001).",
    ),
    p(
        "comment-oversized-script-kept-escaped",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": SCRIPT * 100},
        status=422,
        htmx=True,
        says="Please keep comments to 2,000",
        escaped=SCRIPT,
    ),
    p(
        "comment-nul",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "Hello\x00"},
        status=422,
        says=NUL_REFUSED,
    ),
    p(
        "comment-unknown-post",
        "post",
        ("blog:comment_create", "no-such-post"),
        {"body": "Hi"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "comment-draft",
        "post",
        ("blog:comment_create", "@draft.slug"),
        {"body": "Hi"},
        status=404,
        says=NOT_FOUND,
    ),
    v(
        "comment-as-a-visitor",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "Hi"},
        status=302,
        says="Sign in",
    ),
    p("post-unknown", "get", ("blog:post_detail", "no-such-post"), status=404, says=NOT_FOUND),
    p("post-draft", "get", ("blog:post_detail", "@draft.slug"), status=404, says=NOT_FOUND),
    p(
        "posts-page-not-a-number",
        "get",
        ("blog:post_list",),
        query="page=%00",
        says="Seasoning cast iron",
    ),
]


@pytest.mark.parametrize("case", BLOG)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, shop, case):
    check_answer(client, shop, case)


@pytest.mark.parametrize(
    ("method", "url"),
    wrong_methods(
        posts=[("blog:post_list",), ("blog:post_detail", "@post.slug")],
        gets=[("blog:comment_create", "@post.slug")],
    ),
)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    check_wrong_method(client, shop, method, url)


def test_a_comment_post_without_the_csrf_token_is_refused_and_changes_nothing(shop):
    check_csrf(shop, Case("post", ("blog:comment_create", "@post.slug"), {"body": "Forged?"}))


@pytest.mark.parametrize(
    "data",
    [{"body": "x" * 3_000_000}, {f"field{n}": "x" for n in range(1001)}],
    ids=["body-over-2.5-MB", "over-1000-fields"],
)
def test_a_request_too_big_to_read_gets_a_400_page_and_changes_nothing(client, shop, data):
    client.force_login(shop.ada)
    before = database_rows()

    response = client.post(shop.resolve(("blog:comment_create", "@post.slug")), data)

    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert database_rows() == before


def test_a_comment_full_of_markup_is_kept_as_typed_and_shown_as_text(client, shop, mailoutbox):
    client.force_login(shop.ada)
    body = f"{SCRIPT}\n{ATTRIBUTE_BREAKOUT}\n{RTL_AND_EMOJI}"

    client.post(shop.resolve(("blog:comment_create", "@post.slug")), {"body": body})

    comment = shop.post.comments.get()
    assert comment.body == body
    page = client.get(shop.post.get_absolute_url()).content.decode()
    assert escape(SCRIPT) in page and SCRIPT not in page
    assert escape(ATTRIBUTE_BREAKOUT) in page and ATTRIBUTE_BREAKOUT not in page
    [mail] = OutboundEmail.objects.filter(to=shop.post.author.email)
    assert escape(SCRIPT) in mail.html_body and SCRIPT not in mail.html_body
