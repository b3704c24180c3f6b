import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from pagecache.pages import cached_page
from storefront.http import HtmxHttpRequest

from .filters import FILTER_FIELDS, ProductFilter
from .models import Category, Product
from .pages import catalog as catalog_pages
from .seo import product_structured_data

PRODUCTS_PER_PAGE = 12
# How many products of the same category a product page suggests.
RELATED_PRODUCTS = 4


# What a catalog page reads of its query string: the search, the filters and the page.
CATALOG_QUERY = ("q", *FILTER_FIELDS, "page")


@require_safe
@vary_on_headers("HX-Request")
@cached_page(catalog_pages, query=CATALOG_QUERY)
def product_list(request: HtmxHttpRequest) -> HttpResponse:
    """The home page: every product, searchable, filtered, sorted and paginated."""
    return _catalog_page(request, categories=Category.objects.menu())


@require_safe
@vary_on_headers("HX-Request")
@cached_page(catalog_pages, query=CATALOG_QUERY)
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A category's page: its products and its children's, with the same search and filters."""
    categories = Category.objects.menu()
    category = next((each for each in categories if each.slug == slug), None)
    if category is None:
        raise Http404("No such category.")
    return _catalog_page(request, categories=categories, category=category)


def _catalog_page(request: HtmxHttpRequest, *, categories, category=None) -> HttpResponse:
    """A grid of products (all, or one category's) narrowed by the query string.

    An HTMX request (the filter form, a pagination link) gets only the `grid` partial; a
    history restore after the user pressed Back gets the whole page, as a plain request does.
    Queries: the categories, a count and a page, and one more count when a filter narrows the
    grid (for "12 of 30 products"), whatever the number of products.
    """
    list_url = category.get_absolute_url() if category else reverse("catalog:product_list")
    if not request.htmx and any(request.GET.get(name) == "" for name in FILTER_FIELDS):
        # The filter form sent without JavaScript names every field, filled or not. Its
        # page has one address, without the empty ones: a link worth sharing, cached once.
        # (htmx leaves them out before sending: static/js/shop.js.)
        kept = [(name, value) for name, value in request.GET.items() if value != ""]
        return redirect(f"{list_url}?{urlencode(kept)}" if kept else list_url)

    products = Product.objects.all() if category is None else Product.objects.in_category(category)
    filters = ProductFilter(
        request.GET, queryset=products, categories=categories, category=category
    )
    page = Paginator(filters.qs, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    page_numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    total = products.count() if filters.is_narrowed else page.paginator.count

    template = "catalog/product_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#grid"
    context = {
        "page": page,
        "page_numbers": page_numbers,
        "filters": filters,
        "query": filters.query,
        "narrowed": filters.is_narrowed,
        "total": total,
        "categories": [each for each in categories if each.parent_id is None],
        "category": category,
        # Where the filter form, pagination and "Clear filters" lead: this page's own URL.
        "list_url": list_url,
    }
    return render(request, template, context)


@require_safe
@cached_page(catalog_pages)
def product_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A product with its gallery and a few others from its category. Three queries."""
    product = get_object_or_404(Product.objects.select_related("category__parent"), slug=slug)
    related = []
    if product.category_id:
        # The best stocked first: a suggestion is worth most when it can be bought.
        related = list(
            Product.objects.filter(category_id=product.category_id)
            .exclude(pk=product.pk)
            .order_by("-quantity", "name")[:RELATED_PRODUCTS]
        )
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "gallery": list(product.gallery.all()),
            "related": related,
            # What the page's stock poller watches: every badge on it.
            "products": [product, *related],
            # Part of the cached page, so it is dropped with it when the stock moves.
            "structured_data": product_structured_data(product),
        },
    )


# A page polls for at most this many badges (a catalog page shows 12).
MAX_POLLED_PRODUCTS = 100
# The largest id a BigAutoField holds.
MAX_PRODUCT_ID = 2**63 - 1
BAD_IDS = "ids must be product ids separated by commas."
# How long a rendered badge is kept; it is never served once the stock changed.
BADGE_COPY_TIMEOUT = 10 * 60


@require_safe
def stock_poll(request: HtmxHttpRequest) -> HttpResponse:
    """The current badges of the products a page shows, for its poller: `?ids=3,5,8`.

    An unchanged answer is an empty 304 that costs no query. A changed one brings every badge
    back as an out-of-band swap, each replacing the badge with the same id wherever it is.
    """
    try:
        ids = sorted({int(part) for part in request.GET.get("ids", "").split(",") if part})
    except ValueError:
        return HttpResponseBadRequest(BAD_IDS)
    # Beyond what the id column holds, SQLite would raise rather than find nothing.
    if not all(0 < pk <= MAX_PRODUCT_ID for pk in ids):
        return HttpResponseBadRequest(BAD_IDS)
    if len(ids) > MAX_POLLED_PRODUCTS:
        return HttpResponseBadRequest(f"Ask for at most {MAX_POLLED_PRODUCTS} products.")

    # The catalog pages' generation changes whenever any stock does (catalog.pages):
    # an unchanged page is answered without touching the database.
    state = f"{catalog_pages.generation()}|{settings.LOW_STOCK_THRESHOLD}"
    etag = f'"{hashlib.blake2b(f"{state}|{ids}".encode(), digest_size=12).hexdigest()}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse("".join(_badges(ids, state).values()))
    response["ETag"] = etag
    # The browser may keep the answer but must ask again every time (If-None-Match).
    patch_cache_control(response, no_cache=True)
    return response


def _badges(ids: list[int], state: str) -> dict[int, str]:
    """The out-of-band badges of the products with these ids that exist, in the ids' order.

    After a stock change every open page showing a product asks for its badge: each badge is
    rendered once per stock state and shared through the cache, one copy per product, however
    many sets of ids are asked for.
    """
    keys = {pk: f"catalog:stock-badge:{state}:{pk}" for pk in ids}
    found = cache.get_many(keys.values())
    if missing := [pk for pk in ids if keys[pk] not in found]:
        products = Product.objects.filter(pk__in=missing).only("pk", "quantity")
        rendered = {
            keys[product.pk]: render_to_string(
                "catalog/stock.html#badge", {"product": product, "oob": True}
            )
            for product in products
        }
        cache.set_many(rendered, BADGE_COPY_TIMEOUT)
        found |= rendered
    return {pk: found[keys[pk]] for pk in ids if keys[pk] in found}
