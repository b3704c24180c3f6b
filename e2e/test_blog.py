import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from outbox.tests.fixtures import run_worker

from .shopper import mails_to, sign_in, sign_up


def test_a_reader_comments_without_a_reload_and_the_author_is_mailed_once(page: Page, smtp_server):
    author = UserFactory(username="margit", email="margit@example.com")
    post = PostFactory(author=author, title="Seasoning cast iron", slug="seasoning-cast-iron")

    page.goto("/")
    sign_up(page, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Blog").click()
    page.get_by_role("link", name="Seasoning cast iron").click()

    expect(page).to_have_url(re.compile(f"{post.get_absolute_url()}$"))
    expect(page.get_by_role("heading", name="No comments yet")).to_be_visible()
    # A full page load would wipe this marker; an HTMX swap keeps it.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Your comment").fill("Does this work on enamel too?\nAsking for a friend.")
    page.get_by_role("button", name="Post comment").click()

    comments = page.get_by_role("list", name="Comments")
    expect(comments.get_by_role("listitem")).to_have_count(1)
    expect(comments.get_by_role("listitem")).to_contain_text("Does this work on enamel too?")
    expect(comments.get_by_role("listitem")).to_contain_text("ada")
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()
    expect(page.get_by_label("Your comment")).to_have_value("")
    expect(page.get_by_role("alert")).to_contain_text("Thanks, your comment is posted.")
    assert page.evaluate("window.stillTheSamePage") is True

    run_worker()
    run_worker()  # a second pass must not send it again

    [received] = mails_to(smtp_server, "margit@example.com", "comment")
    assert received["To"] == "margit@example.com"
    assert "Seasoning cast iron" in received["Subject"]
    # On the wire, lines end in CRLF.
    text = received.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Does this work on enamel too?\nAsking for a friend." in text


def test_an_empty_comment_shows_its_error_in_place(page: Page):
    post = PostFactory(title="Caring for wooden boards")
    UserFactory(username="ada")
    page.goto(post.get_absolute_url())
    sign_in(page, "ada")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_text("Please write something before posting.")).to_be_visible()
    expect(page.get_by_label("Your comment")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("list", name="Comments").get_by_role("listitem")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True


def test_a_comment_over_the_limit_explains_itself_in_place(page: Page, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "comment": {"limit": 1, "window": timedelta(minutes=10)},
    }
    post = PostFactory(title="A slower cup")
    UserFactory(username="ada")
    page.goto(post.get_absolute_url())
    sign_in(page, "ada")
    page.get_by_label("Your comment").fill("First!")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()

    page.get_by_label("Your comment").fill("Second, straight away")
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_text("Please wait 10 minutes before posting again.")).to_be_visible()
    expect(page.get_by_label("Your comment")).to_have_value("Second, straight away")
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()
