"""What the page cache does when a model its pages show changes, or the cache comes back."""

from . import rows
from .pages import Pages


def forget_pages(sender, **kwargs):
    """post_save / post_delete of a model cached pages show (the admin, a shell, seed_demo,
    a service's save): those pages are forgotten, again once the change commits."""
    for pages in Pages.showing(sender._meta.label):
        pages.forget()


def forget_pages_after_cache_outage(sender, lost_writes: bool, **kwargs):
    """cache_reconnected: start new generations for every set of pages.

    Writes that could not reach the cache during the outage may have been forgettings, and
    the copies they should have retired are there again now that the cache is back.
    """
    if lost_writes:
        for pages in Pages.declared.values():
            pages.new_generation()


def retire_row_copies(sender, **kwargs):
    """cache_reconnected: every copy of a row made before the outage is a miss from now on."""
    rows.new_epoch()
