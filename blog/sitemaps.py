from seo.sitemaps import ShopSitemap

from .models import Post


class PostSitemap(ShopSitemap):
    """Published posts (drafts and scheduled posts stay out until readers may see them)."""

    changefreq = "weekly"

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, post):
        return post.updated_at


SITEMAPS = {"posts": PostSitemap}
