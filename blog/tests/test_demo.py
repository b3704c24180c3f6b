from io import StringIO

import pytest
from django.core.management import call_command

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_an_author_with_an_email_and_published_posts_once():
    call_command("seed_demo", stdout=StringIO())
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert "blog: 0 posts added, 3 already there." in output.getvalue()
    posts = Post.objects.published()
    assert posts.count() >= 3
    assert {post.author.email for post in posts} == {"margit@storefront.test"}
