from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

COMMENT_MAX_LENGTH = 2000


class PostQuerySet(models.QuerySet["Post"]):
    def published(self):
        """Posts readers may see: published, and not dated in the future."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_comment_counts(self):
        """Annotate `comment_count`, the visible comments, in the same query."""
        return self.annotate(comment_count=Count("comments", filter=Q(comments__is_visible=True)))


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blog_posts"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when first published; a future date schedules it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="post_published_has_date",
                violation_error_message="A published post needs a publication date.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:post_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Publishing without a date means "now", as Django's own docs example does.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self):
        return self.filter(is_visible=True)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_comments"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    is_visible = models.BooleanField(
        "visible", default=True, help_text="Clear to hide the comment from the post page."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "is_visible", "created_at"], name="comment_list_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") & Q(LessThanOrEqual(Length("body"), COMMENT_MAX_LENGTH)),
                name="comment_body_length",
                violation_error_message="A comment holds 1 to 2,000 characters.",
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.post}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of the comment's element on the post page."""
        return f"comment-{self.pk}"
