"""Writes to the blog. Views and the admin both come through here."""

from django.db import transaction
from django.db.models import QuerySet

from .models import Comment, Post
from .pages import blog as blog_pages


@transaction.atomic
def comment_create(*, post: Post, author, body: str) -> Comment:
    """Add a reader's comment to a post.

    Saving sends `post_save`, on which `blog.receivers` queues the author's notification
    inside this same transaction: the comment and its mail commit together.
    """
    return Comment.objects.create(post=post, author=author, body=body)


@transaction.atomic
def comments_set_visible(*, comments: QuerySet[Comment], visible: bool) -> int:
    """Show or hide comments in bulk (staff moderation). Returns how many changed.

    An UPDATE, so no `post_save`: moderating a comment never notifies anyone again, and the
    cached blog pages are told directly.
    """
    blog_pages.forget()
    return comments.exclude(is_visible=visible).update(is_visible=visible)
