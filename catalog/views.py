from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from storefront.http import HtmxHttpRequest

from .models import Product

PRODUCTS_PER_PAGE = 12
# Longer search text is cut rather than refused: nobody types 100 characters to find a mug.
MAX_QUERY_LENGTH = 100


@require_GET
@vary_on_headers("HX-Request")
def product_list(request: HtmxHttpRequest) -> HttpResponse:
    """The home page: the catalog grid, searchable and paginated.

    An HTMX request (search box, pagination link) gets only the `grid` partial; a history
    restore after the user pressed Back gets the whole page, as a plain request does.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    products = Product.objects.search(query) if query else Product.objects.all()
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))

    template = "catalog/product_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#grid"
    page_numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return render(request, template, {"page": page, "page_numbers": page_numbers, "query": query})


@require_GET
def product_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    return render(request, "catalog/product_detail.html", {"product": product})
