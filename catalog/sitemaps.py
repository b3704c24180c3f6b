from seo.sitemaps import ShopSitemap

from .models import Category, Product


class ProductSitemap(ShopSitemap):
    """Every product page, with the time it last changed (stock included)."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        return Product.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, product):
        return product.updated_at


class CategorySitemap(ShopSitemap):
    """Every category page."""

    changefreq = "daily"

    def items(self):
        return Category.objects.only("slug").order_by("pk")


SITEMAPS = {"products": ProductSitemap, "categories": CategorySitemap}
