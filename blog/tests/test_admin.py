import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from blog.models import Comment, Post

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return admin


@pytest.mark.parametrize(("action", "visible_after"), [("hide", False), ("show", True)])
def test_staff_hide_and_show_comments_in_bulk(client, staff, action, visible_after):
    chosen = CommentFactory.create_batch(2, is_visible=not visible_after)
    other = CommentFactory(is_visible=not visible_after)

    response = client.post(
        reverse("admin:blog_comment_changelist"),
        {"action": action, "_selected_action": [comment.pk for comment in chosen]},
        follow=True,
    )

    assert response.status_code == 200
    word = "hidden" if action == "hide" else "shown"
    assert f"2 comments {word}." in response.content.decode()
    assert set(Comment.objects.filter(is_visible=visible_after)) == set(chosen)
    other.refresh_from_db()
    assert other.is_visible is not visible_after


def test_the_post_list_and_editor_open_for_staff(client, staff):
    post = PostFactory(title="Caring for wooden boards")
    CommentFactory.create_batch(3, post=post)

    listing = client.get(reverse("admin:blog_post_changelist"))
    editor = client.get(reverse("admin:blog_post_change", args=[post.pk]))

    assert listing.status_code == editor.status_code == 200
    assert "Caring for wooden boards" in listing.content.decode()
    assert '<td class="field-comments">3</td>' in listing.content.decode()


def test_publishing_from_the_admin_without_a_date_publishes_now(client, staff):
    client.post(
        reverse("admin:blog_post_add"),
        {
            "title": "Fresh",
            "slug": "fresh",
            "author": staff.pk,
            "body": "Just out.",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
        },
    )

    assert Post.objects.published().get().slug == "fresh"
