from django.apps import AppConfig


class SeoConfig(AppConfig):
    """What search engines read beyond the pages themselves: /robots.txt, /sitemap.xml (each
    app's sections collected from its `sitemaps` module), and the template tags that write
    JSON-LD and dates for structured data."""

    name = "seo"
    verbose_name = "Search engines"
