from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Comment, Post

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_published_leaves_out_drafts_and_posts_dated_in_the_future():
    live = PostFactory()
    PostFactory(draft=True)
    PostFactory(published_at=timezone.now() + timedelta(days=1))

    assert list(Post.objects.published()) == [live]


def test_a_published_post_needs_a_publication_date_in_the_database():
    with pytest.raises(IntegrityError):
        PostFactory(status=Post.Status.PUBLISHED, published_at=None)


def test_publishing_without_a_date_means_now():
    post = PostFactory.build(draft=True)
    post.status = Post.Status.PUBLISHED

    post.clean()

    assert post.published_at is not None
    assert post.published_at <= timezone.now()


def test_comment_counts_include_only_visible_comments():
    post = PostFactory()
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, is_visible=False)

    assert Post.objects.with_comment_counts().get().comment_count == 2


@pytest.mark.parametrize("body", ["", "x" * 2001])
def test_a_comment_body_must_be_1_to_2000_characters_in_the_database(body):
    with pytest.raises(IntegrityError):
        CommentFactory(body=body)


def test_a_comment_links_to_its_anchor_on_the_post_page():
    comment = CommentFactory(post__slug="on-wood")

    assert comment.get_absolute_url() == f"/blog/on-wood/#comment-{comment.pk}"
    assert Comment.objects.visible().get() == comment
