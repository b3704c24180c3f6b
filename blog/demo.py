"""Demo blog for `manage.py seed_demo`: an author with an e-mail address and a few posts."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Post

AUTHOR = {"username": "margit", "email": "margit@storefront.test", "first_name": "Margit"}

# (slug, title, days ago, body): the newest first.
POSTS = [
    (
        "seasoning-cast-iron",
        "Seasoning cast iron, and why you only need to do it once",
        2,
        "A cast iron skillet arrives pre-seasoned, and daily cooking keeps it that way.\n\n"
        "Wash it warm, dry it on the hob, and wipe in a drop of oil while it is still hot. "
        "That is the whole ritual. Soap will not hurt it; leaving it wet will.",
    ),
    (
        "a-slower-cup",
        "A slower cup: pour-over for people in a hurry",
        9,
        "Pour-over coffee takes four minutes, and three of them are waiting.\n\n"
        "Rinse the filter, add 15 g of coffee, bloom it with a splash of water for thirty "
        "seconds, then pour the rest in slow circles. Use the waiting to put the toast on.",
    ),
    (
        "caring-for-wooden-boards",
        "Caring for wooden boards and spoons",
        21,
        "Wood is forgiving, but it does not like the dishwasher.\n\n"
        "Wash by hand, stand it on its edge to dry, and oil it once a month with food-safe "
        "mineral oil or beeswax. A light sanding brings an old board back to life.",
    ),
]


def seed(*, stdout) -> None:
    author, created = get_user_model().objects.get_or_create(
        username=AUTHOR["username"], defaults=AUTHOR
    )
    if created:
        # The demo author writes posts; nobody signs in as her.
        author.set_unusable_password()
        author.save(update_fields=["password"])
    now = timezone.now()
    added = 0
    for slug, title, days_ago, body in POSTS:
        _, was_added = Post.objects.get_or_create(
            slug=slug,
            defaults={
                "author": author,
                "title": title,
                "body": body,
                "status": Post.Status.PUBLISHED,
                "published_at": now - timedelta(days=days_ago),
            },
        )
        added += was_added
    stdout.write(f"blog: {added} posts added, {len(POSTS) - added} already there.")
