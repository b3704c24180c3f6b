from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from . import receivers
        from .models import Comment, Post

        post_save.connect(
            receivers.notify_post_author,
            sender=Comment,
            dispatch_uid="blog.notify_post_author",
        )
        for signal in (post_save, post_delete):
            for model in (Post, Comment):
                signal.connect(
                    receivers.forget_blog_pages,
                    sender=model,
                    dispatch_uid=f"blog.forget_blog_pages.{model._meta.model_name}",
                )
