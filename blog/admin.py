from django.contrib import admin
from django.db.models import Count
from django.utils.text import Truncator

from . import services
from .models import Comment, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "published_at", "comments", "updated_at"]
    list_filter = ["status", "published_at", "author"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comments_total=Count("comments"))

    @admin.display(description="comments", ordering="comments_total")
    def comments(self, post: Post) -> int:
        return post.comments_total


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "post", "author", "created_at", "is_visible"]
    list_filter = ["is_visible", "created_at"]
    list_select_related = ["post", "author"]
    search_fields = ["body", "author__username", "post__title"]
    raw_id_fields = ["post", "author"]
    date_hierarchy = "created_at"
    actions = ["hide", "show"]

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(80)

    @admin.action(description="Hide selected comments", permissions=["change"])
    def hide(self, request, queryset):
        changed = services.comments_set_visible(comments=queryset, visible=False)
        self.message_user(request, f"{changed} comment{'s' if changed != 1 else ''} hidden.")

    @admin.action(description="Show selected comments", permissions=["change"])
    def show(self, request, queryset):
        changed = services.comments_set_visible(comments=queryset, visible=True)
        self.message_user(request, f"{changed} comment{'s' if changed != 1 else ''} shown.")
