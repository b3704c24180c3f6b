"""Whole pages from Django's cache, shared by every visitor, kept fresh by signals.

Most of a catalog or blog page is the same for everyone and costs far more to render than to
fetch. `cached_page(pages)` stores the rendered page once per URL and serves it to everyone
until something its `Pages` show changes: a model they show is saved or deleted (the app's
receivers forget them), or a service announces a change it made without a save (stock taken
by a confirmation: `pages.forget()`). The app's README.md is the contract in short.

A page may differ between visitors and signed-in shoppers (a comment form or a "Sign in to
comment" link), so each URL is stored once for each audience (`_audience`). It must never
differ between two shoppers: what is personal is punched out of the stored copy and put back
for each request ("donut" caching):

- the CSRF token (in <body hx-headers> and in every form): stored as a slot, filled in with
  the visitor's own token, masked afresh for each answer (pagecache.csrf);
- short values that show who is looking (the signed-in shopper's name in the account menu,
  the navbar's cart count): `{% personal_value "name" %}` stores a slot, filled in with what
  the function registered under that name (`@personal_value("name")`) answers for the
  visitor. These are on every page a shopper with a session sees, so they are plain
  functions, not templates rendered per request;
- larger parts that show who is looking (the messages area): `{% personal "template#partial" %}`
  stores a marker, and the partial is rendered for the visitor when the page is served (the
  messages area only when messages are waiting).

Slots are HTML comments carrying a random nonce drawn for each render (`slot`): no visitor can
know it, so nothing a visitor writes (a comment, a search) can ever be taken for a slot and
filled in; the stored copy keeps only the slots' names.

Newcomers (no session and no pending message yet: most requests) all see the same personal
parts, an empty cart and the Sign in links, so their copy is stored with those rendered in:
serving it costs a cache read and the CSRF token.

While a page renders for the cache, templates see a stand-in `user` that can only tell whether
someone is signed in (see pagecache.context_processors), so no name can leak into a copy
another shopper will get.

A page is stored per URL path and per *query*: the parameters the view declares it reads
(`cached_page(pages, query=...)`), in any order, each with the value the view would read (the
last one given). The view is handed only those, so a parameter it does not declare can
change neither the page nor its key: `?utm_source=...` is served the copy of the bare URL.
Every page keeps at most PAGE_VARIANTS copies per generation; past that (a crawler trying
search terms) pages are rendered for their request and not stored.

Forgetting is by generation: each `Pages` has a random token in the cache, part of every key
of its copies, and `forget` replaces the token, so all of them are missed at once (old copies
expire on their own). The cache must be shared by all processes serving the shop (Redis, or
the SQLite files of one machine: see settings.CACHES), or one process would keep serving what
another one forgot.
"""

import functools
import hashlib
import re
import secrets
import threading
import uuid
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.template import Context, RequestContext, engines
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape

from .csrf import masked_token

# The part that is empty for almost everyone: it is rendered only when messages are waiting.
MESSAGES_PART = "base.html#messages"
PAGE_TIMEOUT = 60 * 10
# How many copies of one page (its URL path, for one audience) a generation stores at most.
PAGE_VARIANTS = 100


def slot(request, name: str) -> str:
    """The marker left for slot `name` ("csrf", "value:cart_count", "personal:base.html#messages")
    in the copy being rendered for `request`: an HTML comment with this render's nonce."""
    return f"<!--slot:{request._page_cache_nonce}:{name}-->"


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


class Pages:
    """Pages cached whole, and what they show: `Pages("catalog", shows=["catalog.Product"])`.

    An app declares its cached pages in its `pages.py` (the pagecache app finds them when it
    starts, in every process: web, worker, shell) and its views use them with `cached_page`.
    Whenever a model they show is saved or deleted, the pages are forgotten once the change
    commits (pagecache.receivers). A change that sends no post_save (`QuerySet.update()`) is
    announced by the code that makes it: `pages.forget()`.
    """

    declared: dict[str, "Pages"] = {}

    def __init__(self, name: str, *, shows: list[str]):
        self.name = name
        self.shows = tuple(shows)  # model labels, "app.Model"
        Pages.declared[name] = self

    def __repr__(self):
        return f"Pages({self.name!r})"

    @classmethod
    def showing(cls, label: str) -> list["Pages"]:
        """Every set of pages that shows the model `label`."""
        return [pages for pages in cls.declared.values() if label in pages.shows]

    def generation(self) -> str:
        """The current generation token of these pages: changes whenever their content does."""
        return cache.get_or_set(self._key, uuid.uuid4().hex, timeout=None)

    def forget(self) -> None:
        """Forget every cached copy of these pages: now, and again when the transaction commits.

        Now, so that nothing served from here on (in this transaction too) is the old copy.
        Again after the commit, because until then other requests still read the old rows and
        may store a fresh copy of them under the new generation. (A rollback costs one needless
        re-render.)
        """
        self.new_generation()
        transaction.on_commit(self.new_generation)

    def new_generation(self) -> None:
        cache.set(self._key, uuid.uuid4().hex, timeout=None)

    @property
    def _key(self) -> str:
        return f"generation:{self.name}"


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


def cached_page(pages: Pages, *, query: tuple[str, ...] = ()):
    """Serve a GET view's 200 answers from the cache, shared by all visitors, per URL, as one
    of `pages`.

    `query` names the GET parameters the view reads; it sees no other. HTMX and full-page
    answers are stored apart. Anything but a 200 is served as it is and not stored.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            request.GET = _declared(request.GET, query)
            # The generation is read before the view reads the database: a change committed
            # in between invalidates the copy this request stores.
            page, key = _page_key(pages, request)
            stored = _recent.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _recent.put(key, stored)
            hit = stored is not None
            if stored is None:
                request._page_cache_pass = True
                request._page_cache_nonce = secrets.token_hex(8)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request._page_cache_pass = False
                if response.streaming:
                    return response
                pieces = _pieces(response.content.decode(), request._page_cache_nonce)
                if response.status_code != 200 or not _admit(page):
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


def _declared(parameters: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """Only the parameters a view declares, each with its last value (the one `.get()`
    answers), in the order they came."""
    declared = QueryDict(mutable=True)
    for name in parameters:
        if name in names:
            declared[name] = parameters[name]
    declared._mutable = False
    return declared


def _admit(page: str) -> bool:
    """Whether `page` (a key without its query) may store one more copy in this generation."""
    counter = f"{page}:variants"
    cache.add(counter, 0, PAGE_TIMEOUT)
    try:
        return cache.incr(counter) <= PAGE_VARIANTS
    except ValueError:  # the counter is gone (evicted, or the cache unreachable): store nothing
        return False


class _RecentCopies:
    """The copies this process served last, kept in its memory (least recently used out).

    A copy never changes under its key: the key holds its pages' generation, and a change
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


def _page_key(pages: Pages, request) -> tuple[str, str]:
    """The key of this request's page without its query (for counting its variants), and
    with it (for its copy)."""
    variant = _audience(request)
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:
        variant += "-htmx"
    path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()
    page = f"page:{pages.name}:{pages.generation()}:{variant}:{path}"
    # In any order, the same parameters are the same page.
    query = hashlib.blake2b(repr(sorted(request.GET.items())).encode(), digest_size=16)
    return page, f"{page}:{query.hexdigest()}"


def _pieces(content: str, nonce: str) -> list[str]:
    """A page cut at its slots: [text, slot name, text, slot name, ..., text].

    Stored that way, so that serving it is one join, not a search of the whole page for each
    kind of slot. Only the markers of this render (its nonce) are slots.
    """
    return re.split(rf"<!--slot:{nonce}:([^>]+)-->", content)


def _fill(pieces: list[str], request) -> str:
    """The stored page with the visitor's own parts put into its slots.

    The personal parts are rendered together, in one context (the context processors run
    once), with the page's CSRF token: the token is masked once for the whole answer, as on a
    page rendered for one visitor.
    """
    token = functools.cache(functools.partial(masked_token, request))
    values = {}
    templates = []
    for name in set(pieces[1::2]):
        kind, _, what = name.partition(":")
        if kind == "csrf":
            values[name] = token()
        elif kind == "value":
            values[name] = PERSONAL_VALUES[what](request)
        elif what == MESSAGES_PART and not len(messages.get_messages(request)):
            values[name] = _no_messages()
        else:
            templates.append((name, what))
    if templates:
        engine = engines["django"].engine
        loaded = [(name, engine.get_template(what)) for name, what in templates]
        context = RequestContext(request, autoescape=engine.autoescape)
        with context.bind_template(loaded[0][1]), context.push(csrf_token=SimpleLazyObject(token)):
            for name, template in loaded:
                values[name] = template.render(context)
    filled = pieces.copy()
    filled[1::2] = [values[name] for name in pieces[1::2]]
    return "".join(filled)


@functools.cache
def _no_messages() -> str:
    """The messages area with nothing in it: the same for everyone, rendered once."""
    return engines["django"].engine.get_template(MESSAGES_PART).render(Context({"messages": ()}))
