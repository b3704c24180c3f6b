from django.apps import AppConfig
from django.db.models.signals import post_save


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from . import receivers
        from .models import Comment

        post_save.connect(
            receivers.notify_post_author,
            sender=Comment,
            dispatch_uid="blog.notify_post_author",
        )
