"""Benchmark volume for the blog: 50 published posts with 20 visible comments each.

Gathered by `python -m loadtest data build` (see loadtest/data.py for the contract).
Comments come from the benchmark's customers; the posts' author is one of them too.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from blog.models import Comment, Post

POSTS = 50
COMMENTS_PER_POST = 20

PARAGRAPH = (
    "Good tools are the ones you stop noticing. They sit where your hand expects them, they "
    "clean up in a minute, and years later they still do the job they did on the first day."
)


def build(*, scale: float, facts: dict, stdout) -> dict:
    users = list(get_user_model().objects.order_by("pk")[:50])
    author, readers = users[0], users[1:] or users
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            author=author,
            title=f"Notes from the workshop, part {number + 1}",
            slug=f"notes-from-the-workshop-{number + 1}",
            body="\n\n".join([PARAGRAPH] * 4),
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=POSTS - number),
        )
        for number in range(max(2, round(POSTS * scale)))
    )
    # Every post gets its full 20 comments whatever the scale: the measured page has 20.
    Comment.objects.bulk_create(
        Comment(
            post=post,
            author=readers[(post.pk + number) % len(readers)],
            body=f"Comment {number + 1}: thank you for this.\nIt made me look at my own kitchen.",
            created_at=post.published_at + timedelta(hours=number + 1),
        )
        for post in posts
        for number in range(COMMENTS_PER_POST)
    )
    stdout.write(f"blog: {len(posts)} posts with {COMMENTS_PER_POST} comments each")
    return {
        "posts": len(posts),
        "post_path": posts[0].get_absolute_url(),
        # Comments go to another post, so the measured one keeps its 20.
        "comment_path": reverse("blog:comment_create", args=[posts[-1].slug]),
    }
