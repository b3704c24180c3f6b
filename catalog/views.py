import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from storefront.http import HtmxHttpRequest
from storefront.pagecache import cached_page, generation

from .models import Product
from .seo import product_structured_data

PRODUCTS_PER_PAGE = 12
# Longer search text is cut rather than refused: nobody types 100 characters to find a mug.
# NUL characters are dropped the same way: nobody types one, and PostgreSQL cannot compare
# text with them (it raises instead).
MAX_QUERY_LENGTH = 100


@require_safe
@vary_on_headers("HX-Request")
@cached_page("catalog")
def product_list(request: HtmxHttpRequest) -> HttpResponse:
    """The home page: the catalog grid, searchable and paginated.

    An HTMX request (search box, pagination link) gets only the `grid` partial; a history
    restore after the user pressed Back gets the whole page, as a plain request does.
    """
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    products = Product.objects.search(query) if query else Product.objects.all()
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))

    template = "catalog/product_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#grid"
    page_numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return render(request, template, {"page": page, "page_numbers": page_numbers, "query": query})


@require_safe
@cached_page("catalog")
def product_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            # `products`: what the page's stock poller watches.
            "products": [product],
            # Part of the cached page, so it is dropped with it when the stock moves.
            "structured_data": product_structured_data(product),
        },
    )


# A page polls for at most this many badges (a catalog page shows 12).
MAX_POLLED_PRODUCTS = 100
# The largest id a BigAutoField holds.
MAX_PRODUCT_ID = 2**63 - 1
BAD_IDS = "ids must be product ids separated by commas."


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

    # The catalog's cache generation changes whenever any stock does (see catalog.receivers):
    # an unchanged page is answered without touching the database.
    state = f"{generation('catalog')}|{settings.LOW_STOCK_THRESHOLD}|{ids}"
    etag = f'"{hashlib.blake2b(state.encode(), digest_size=12).hexdigest()}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        products = Product.objects.filter(pk__in=ids).only("pk", "quantity").order_by("pk")
        response = render(request, "catalog/stock.html#badges", {"products": products})
    response["ETag"] = etag
    # The browser may keep the answer but must ask again every time (If-None-Match).
    patch_cache_control(response, no_cache=True)
    return response
