from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import autodiscover_modules


class PagecacheConfig(AppConfig):
    """Whole pages shared by every visitor, copies of a few rows, and the cache they live in.

    Apps declare their cached pages, and the models those pages show, in a `pages` module
    (`catalog/pages.py`); when the shop starts, in every process, this app finds them and
    connects its own receivers: a save or delete of a model shown forgets the pages showing
    it. No app connects anything for its cached pages. README.md in this folder is the
    contract.
    """

    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import receivers
        from .pages import Pages
        from .signals import cache_reconnected

        autodiscover_modules("pages")
        shown = {label for pages in Pages.declared.values() for label in pages.shows}
        for label in sorted(shown):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.forget_pages, sender=label, dispatch_uid="pagecache.forget_pages"
                )
        cache_reconnected.connect(
            receivers.forget_pages_after_cache_outage,
            dispatch_uid="pagecache.forget_pages_after_cache_outage",
        )
        cache_reconnected.connect(
            receivers.retire_row_copies, dispatch_uid="pagecache.retire_row_copies"
        )
