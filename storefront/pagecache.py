"""Whole pages from Django's cache, shared by every visitor, kept fresh by signals.

Most of a catalog or blog page is the same for everyone and costs far more to render than to
fetch. `cached_page(scope)` stores the rendered page once per URL and serves it to everyone
until something in its *scope* changes; signal receivers call `invalidate(scope)` when it does
(a product saved, stock taken by a confirmation, a comment posted).

A page may differ between visitors and signed-in shoppers (a comment form or a "Sign in to
comment" link), so each URL is stored once for each audience (`_audience`). It must never
differ between two shoppers: what is personal is punched out of the stored copy and put back
for each request ("donut" caching):

- the CSRF token (in <body hx-headers> and in every form): stored as `CSRF_SLOT`, replaced by
  the visitor's own token, masked afresh for each answer (storefront.csrf);
- short values that show who is looking (the signed-in shopper's name in the account menu,
  the navbar's cart count): `{% personal_value "name" %}` stores a slot, filled in with what
  the function registered under that name (`@personal_value("name")`) answers for the
  visitor. These are on every page a shopper with a session sees, so they are plain
  functions, not templates rendered per request;
- larger parts that show who is looking (the messages area): `{% personal "template#partial" %}`
  stores a marker, and the partial is rendered for the visitor when the page is served (the
  messages area only when messages are waiting).

Newcomers (no session and no pending message yet: most requests) all see the same personal
parts, an empty cart and the Sign in links, so their copy is stored with those rendered in:
serving it costs a cache read and the CSRF token.

While a page renders for the cache, templates see a stand-in `user` that can only tell whether
someone is signed in (see storefront.context_processors), so no name can leak into a copy
another shopper will get.

Invalidation is by generation: each scope has a random token in the cache, part of every key
in it, and `invalidate` replaces the token, so every page of the scope is missed at once (old
copies expire on their own). The cache must be shared by all processes serving the shop
(Redis, or the SQLite files of one machine: see settings.CACHES), or one process would keep
serving what another one invalidated.
"""

import functools
import hashlib
import re
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template import Context, RequestContext, engines
from django.utils.html import escape

from .csrf import masked_token

# What the stored copy holds in place of the visitor's CSRF token. A fixed string, so that a
# page stored by one process can be filled in by another.
CSRF_SLOT = "__csrf-token-slot__"
# Escaped user content can never contain "<!--", so no visitor can forge a marker.
PERSONAL_MARKER = re.compile(r"<!--personal:([\w./-]+#\w+)-->")
VALUE_MARKER = re.compile(r"<!--value:([\w.-]+)-->")
# Every slot of a stored page, found in one pass when it is stored.
SLOT = re.compile(rf"(<!--personal:[\w./-]+#\w+-->|<!--value:[\w.-]+-->|{re.escape(CSRF_SLOT)})")
# The part that is empty for almost everyone: it is rendered only when messages are waiting.
MESSAGES_PART = "base.html#messages"
PAGE_TIMEOUT = 60 * 10


def personal_marker(template_name: str) -> str:
    return f"<!--personal:{template_name}-->"


def value_slot(name: str) -> str:
    return f"<!--value:{name}-->"


# name -> function(request) -> safe HTML: the personal values pages show.
PERSONAL_VALUES = {}


def personal_value(name: str):
    """Register `function(request)` as the personal value `name`: what `{% personal_value
    "name" %}` shows the visitor, filled into stored copies per request. It must answer
    HTML-safe text (escaped or built from a template) and only from what the request gives.
    """

    def register(function):
        PERSONAL_VALUES[name] = function
        return function

    return register


@personal_value("username")
def _username(request) -> str:
    return escape(request.user.get_username())


def generation(scope: str) -> str:
    """The current generation token of `scope`: changes whenever its content does."""
    return cache.get_or_set(f"generation:{scope}", uuid.uuid4().hex, timeout=None)


def invalidate(scope: str) -> None:
    """Forget every cached page of `scope`: now, and again when the transaction commits.

    Now, so that nothing served from here on (in this transaction too) is the old copy. Again
    after the commit, because until then other requests still read the old rows and may store
    a fresh copy of them under the new generation. (A rollback costs one needless re-render.)
    """
    _new_generation(scope)
    transaction.on_commit(lambda: _new_generation(scope))


def _new_generation(scope: str) -> None:
    cache.set(f"generation:{scope}", uuid.uuid4().hex, timeout=None)


# Every scope a view is cached in, so that all of them can be forgotten at once.
SCOPES: set[str] = set()


def forget_pages_after_cache_outage(sender, lost_writes: bool, **kwargs) -> None:
    """cache_reconnected (storefront.cache): start new generations for every scope.

    Writes that could not reach the cache during the outage may have been invalidations, and
    the copies they should have retired are there again now that the cache is back.
    """
    if lost_writes:
        for scope in SCOPES:
            _new_generation(scope)


def is_cache_pass(request) -> bool:
    """True while a page is being rendered for the cache (the CSRF token is left as a slot)."""
    return getattr(request, "_page_cache_pass", False)


def leaves_personal_parts_out(request) -> bool:
    """True while a page renders for a cached copy that others with their own parts will get."""
    return is_cache_pass(request) and _audience(request) != "newcomer"


def _audience(request) -> str:
    """Who the stored copy is for: a newcomer, a visitor with a session, or a member."""
    if request.user.is_authenticated:
        return "member"
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return "visitor"  # may have a cart or a message waiting
    return "newcomer"


def cached_page(scope: str):
    """Serve a GET view's 200 answers from the cache, shared by all visitors, per URL.

    HTMX and full-page answers are stored apart. Anything but a 200 is served as it is and
    not stored.
    """

    SCOPES.add(scope)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            # The generation is read before the view reads the database: a change committed
            # in between invalidates the copy this request stores.
            key = _page_key(scope, request)
            stored = _recent.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _recent.put(key, stored)
            hit = stored is not None
            if stored is None:
                request._page_cache_pass = True
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request._page_cache_pass = False
                if response.streaming:
                    return response
                pieces = _pieces(response.content.decode())
                if response.status_code != 200:
                    # Not stored, but rendered as for the cache: fill it in like a copy.
                    response.content = _fill(pieces, request)
                    return response
                headers = {
                    name: response[name] for name in ("Content-Type", "Vary") if name in response
                }
                stored = {"pieces": pieces, "headers": headers}
                cache.set(key, stored, PAGE_TIMEOUT)
                _recent.put(key, stored)
            response = HttpResponse(_fill(stored["pieces"], request), headers=stored["headers"])
            if settings.DEBUG:  # for a contributor: was this page served from the cache?
                response["X-Page-Cache"] = "hit" if hit else "miss"
            return response

        return wrapper

    return decorator


class _RecentCopies:
    """The copies this process served last, kept in its memory (least recently used out).

    A copy never changes under its key: the key holds its scope's generation, and a change
    makes a new generation, hence new keys. So a copy read once from the shared cache can be
    served from here for as long as its key is current, and only the generation is read from
    the shared cache on each request. A few hundred copies are a few megabytes.
    """

    def __init__(self, size: int):
        self.size = size
        self._copies: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers serve requests in threads

    def get(self, key: str) -> dict | None:
        with self._lock:
            copy = self._copies.get(key)
            if copy is not None:
                self._copies.move_to_end(key)
            return copy

    def put(self, key: str, copy: dict) -> None:
        with self._lock:
            self._copies[key] = copy
            self._copies.move_to_end(key)
            while len(self._copies) > self.size:
                self._copies.popitem(last=False)


_recent = _RecentCopies(size=300)


def _page_key(scope: str, request) -> str:
    variant = _audience(request)
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:
        variant += "-htmx"
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"page:{scope}:{generation(scope)}:{variant}:{path}"


def _pieces(content: str) -> list[str]:
    """A page cut at its slots: [text, slot, text, slot, ..., text].

    Stored that way, so that serving it is one join, not a search of the whole page for each
    kind of slot.
    """
    return SLOT.split(content)


def _fill(pieces: list[str], request) -> str:
    """The stored page with the visitor's own parts put into its slots.

    The personal parts are rendered together, in one context (the context processors run
    once), with the same CSRF slot as the page: the token is then masked once for the whole
    answer, as on a page rendered for one visitor.
    """
    slots = set(pieces[1::2])
    values = {}
    names = set()
    for slot in slots:
        if value := VALUE_MARKER.fullmatch(slot):
            values[slot] = PERSONAL_VALUES[value[1]](request)
        elif marker := PERSONAL_MARKER.fullmatch(slot):
            names.add(marker[1])
    if MESSAGES_PART in names and not len(messages.get_messages(request)):
        names.remove(MESSAGES_PART)
        values[personal_marker(MESSAGES_PART)] = _no_messages()
    if names:
        engine = engines["django"].engine
        templates = {name: engine.get_template(name) for name in names}
        context = RequestContext(request, autoescape=engine.autoescape)
        first = next(iter(templates.values()))
        with context.bind_template(first), context.push(csrf_token=CSRF_SLOT):
            for name, template in templates.items():
                values[personal_marker(name)] = template.render(context)
    if CSRF_SLOT in slots or any(CSRF_SLOT in value for value in values.values()):
        token = masked_token(request)
        values = {slot: value.replace(CSRF_SLOT, token) for slot, value in values.items()}
        values[CSRF_SLOT] = token
    filled = pieces.copy()
    filled[1::2] = [values[slot] for slot in pieces[1::2]]
    return "".join(filled)


@functools.cache
def _no_messages() -> str:
    """The messages area with nothing in it: the same for everyone, rendered once."""
    return engines["django"].engine.get_template(MESSAGES_PART).render(Context({"messages": ()}))
