from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from pagecache.pages import cached_page
from ratelimits.services import RateLimit, RateLimited
from storefront.http import HtmxHttpRequest

from . import services
from .forms import CommentForm
from .models import Post
from .pages import blog as blog_pages

POSTS_PER_PAGE = 10

# Comments per reader (settings.RATE_LIMITS["comment"]).
COMMENTS = RateLimit("comment")


@require_safe
@cached_page(blog_pages, query=("page",))
def post_list(request: HtmxHttpRequest) -> HttpResponse:
    """The blog index: published posts, newest first, with their comment counts."""
    # Explicit order: Meta.ordering does not apply to a query with GROUP BY (the counts).
    posts = (
        Post.objects.published()
        .with_comment_counts()
        .select_related("author")
        .order_by("-published_at", "-pk")
    )
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "blog/post_list.html", {"page": page})


@require_safe
@cached_page(blog_pages)
def post_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A post with its visible comments, oldest first, and the comment form."""
    post = get_object_or_404(Post.objects.published().select_related("author"), slug=slug)
    return _render_post(request, post, CommentForm())


@require_POST
def comment_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Post a comment. HTMX gets the new comment and a fresh form; a plain form post is
    redirected to the comment's anchor. Invalid input comes back in place with status 422;
    a reader over the comment limit gets the same, with a message, as 429."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    if not request.user.is_authenticated:
        # Not login_required: it would send the visitor back here, to a POST-only URL, after
        # signing in. The post page is where they were.
        response = redirect_to_login(f"{post.get_absolute_url()}#comments")
        return HttpResponseClientRedirect(response.url) if request.htmx else response
    form = CommentForm(request.POST)
    retry_after = 0
    if form.is_valid():
        try:
            COMMENTS.take(str(request.user.pk))
        except RateLimited as limited:
            retry_after = limited.retry_after
            form.add_error(
                None,
                "You have posted a lot of comments in a short time. "
                f"Please wait {limited.wait} before posting again.",
            )
    if not form.is_valid():
        if request.htmx:
            response = render(
                request,
                "blog/post_detail.html#comment-form",
                {"post": post, "form": form},
                status=429 if retry_after else 422,
            )
        else:
            response = _render_post(request, post, form, status=429 if retry_after else 422)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response

    comment = services.comment_create(
        post=post, author=request.user, body=form.cleaned_data["body"]
    )
    messages.success(request, "Thanks, your comment is posted.")
    if not request.htmx:
        return redirect(comment)
    return render(
        request,
        "blog/post_detail.html#comment-added",
        {
            "post": post,
            "comment": comment,
            "comment_count": post.comments.visible().count(),
            "form": CommentForm(),
        },
    )


def _render_post(request, post: Post, form: CommentForm, status: int = 200) -> HttpResponse:
    comments = list(post.comments.visible().select_related("author"))
    context = {"post": post, "comments": comments, "comment_count": len(comments), "form": form}
    return render(request, "blog/post_detail.html", context, status=status)
