import pytest
from django.core import serializers
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from blog.models import Comment
from outbox.models import OutboundEmail

from .factories import CommentFactory, PostFactory

# Real commits: the notification's task is queued only when the comment's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_comment_queues_exactly_one_notification_to_the_post_author():
    post = PostFactory(author=UserFactory(username="margit", email="margit@example.com"))

    comment = CommentFactory(post=post)

    [email] = OutboundEmail.objects.all()
    assert email.to == "margit@example.com"
    assert email.key == f"blog.comment.{comment.pk}.notify-author"
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [email.key]


def test_editing_a_comment_queues_nothing_more():
    comment = CommentFactory()

    comment.body = "Edited: even better."
    comment.save()
    comment.is_visible = False
    comment.save()

    assert OutboundEmail.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_loading_a_comment_from_a_fixture_queues_nothing():
    comment = CommentFactory.build(post=PostFactory(), author=UserFactory())
    comment.pk = 4242
    fixture = serializers.serialize("json", [comment])

    for loaded in serializers.deserialize("json", fixture):
        loaded.save()  # post_save with raw=True, as loaddata sends it

    assert Comment.objects.filter(pk=4242).exists()
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_authors_commenting_on_their_own_post_get_no_mail():
    post = PostFactory()

    CommentFactory(post=post, author=post.author)

    assert not OutboundEmail.objects.exists()


def test_an_author_without_an_email_address_gets_no_mail():
    post = PostFactory(author=UserFactory(username="anonymous-author", email=""))

    CommentFactory(post=post)

    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
