"""What the blog does when other parts of the system send signals."""

from django.conf import settings
from django.utils.text import Truncator

from outbox.services import queue_email

EXCERPT_LENGTH = 300


def notify_post_author(sender, instance, created, raw=False, **kwargs):
    """post_save of Comment: queue an e-mail telling the post's author about a new comment.

    New comments only (an edit is not news) and never `raw` (fixture loading replays old
    rows). Nothing when authors comment on their own post or have no e-mail address. The mail
    is queued in the comment's transaction and sent after the commit by the worker, so a slow
    or broken mail server can neither delay nor undo the comment.
    """
    if not created or raw:
        return
    comment, post = instance, instance.post
    author = post.author
    if comment.author_id == author.pk or not author.email:
        return
    commenter = comment.author.get_username()
    queue_email(
        key=f"blog.comment.{comment.pk}.notify-author",
        to=author.email,
        subject=f"New comment on “{Truncator(post.title).chars(80)}” from {commenter}",
        template="blog/email/new_comment",
        context={
            "post": post,
            "commenter": commenter,
            "excerpt": Truncator(comment.body).chars(EXCERPT_LENGTH),
            "comment_url": f"{settings.SITE_URL}{comment.get_absolute_url()}",
        },
    )
