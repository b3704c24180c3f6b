from decimal import Decimal

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from storefront.http import HtmxHttpRequest, safe_next_url

from . import navbar, services
from .forms import QuantityForm, ShippingForm
from .lifecycle import awaits_the_shop
from .models import CartItem, Order, OrderLine
from .pricing import amounts_for
from .services import CheckoutError
from .signals import OrderRefused

ORDERS_PER_PAGE = 10

# Every view here shows or changes one shopper's cart or orders: @never_cache (Cache-Control:
# private, no-store) keeps their pages out of shared proxies and the browser's disk.


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def _cart_context(request: HtmxHttpRequest, **extra) -> dict:
    cart = services.cart_for(user=request.user, session=request.session)
    items = list(cart.items.with_products()) if cart else []
    return {
        "items": items,
        "products": [item.product for item in items],
        # The same sums order_place will store, so the shopper decides on the real numbers.
        "amounts": amounts_for(sum((item.line_total for item in items), Decimal("0.00"))),
        "has_short_items": any(item.exceeds_stock for item in items),
        **extra,
    }


@never_cache
@require_safe
def cart_detail(request: HtmxHttpRequest) -> HttpResponse:
    template = "checkout/cart.html#cart" if request.htmx else "checkout/cart.html"
    return render(request, template, _cart_context(request))


@never_cache
@require_POST
def cart_add(request: HtmxHttpRequest, product_id: int) -> HttpResponse:
    """Add a product to the cart: a fragment with feedback for HTMX, a redirect otherwise."""
    Product = apps.get_model("catalog", "Product")
    form = QuantityForm(request.POST)
    product = item = None
    if form.is_valid():
        # The lazy request.user is looked up before the transaction, which on SQLite holds
        # the one write lock that finding the shopper does not need (docs/writes.md).
        request.user.is_authenticated  # noqa: B018
        try:
            # One transaction: if the add is refused, a cart made just for it goes too.
            with transaction.atomic():
                item = services.cart_add(
                    user=request.user,
                    session=request.session,
                    # The CSRF check made sure it is there: the browser's, from the page.
                    browser=request.META.get("CSRF_COOKIE", ""),
                    product_id=product_id,
                    quantity=form.cleaned_data["quantity"],
                )
            product = item.product
        except Product.DoesNotExist:
            raise Http404("No such product.") from None
        except CheckoutError as error:
            form.add_error(None, str(error))
    added = item is not None
    if product is None:  # refused, or not tried: the page needs the product all the same
        product = get_object_or_404(Product, pk=product_id)

    if request.htmx:
        context = {
            "product": product,
            "form": QuantityForm() if added else form,
            "added": added,
            # The navbar's new count, as the add counted it under the cart's lock.
            "cart_badge": navbar.badge(item.cart_units) if added else None,
            # Kept for the form's next plain submission; never an off-site address.
            "next_url": safe_next_url(request),
            "show_quantity": request.POST.get("show_quantity") == "1",
        }
        return render(
            request, "checkout/add_to_cart.html#form", context, status=200 if added else 422
        )
    if added:
        quantity = form.cleaned_data["quantity"]
        messages.success(
            request,
            format_html(
                'Added {} × {} to your cart. <a href="{}" class="alert-link">View cart</a>',
                quantity,
                product.name,
                reverse("checkout:cart"),
            ),
        )
    else:
        messages.error(request, _first_error(form))
    return redirect(safe_next_url(request, fallback=product.get_absolute_url()))


def _cart_item(request: HtmxHttpRequest, item_id: int) -> CartItem:
    """A line of the current visitor's or customer's own cart; anyone else's is a 404."""
    cart = services.cart_for(user=request.user, session=request.session)
    return get_object_or_404(CartItem.objects.select_related("cart"), pk=item_id, cart=cart)


def _cart_response(request: HtmxHttpRequest, status: int = 200, **extra) -> HttpResponse:
    if request.htmx:
        return render(
            request, "checkout/cart.html#cart", _cart_context(request, **extra), status=status
        )
    return redirect("checkout:cart")


@never_cache
@require_POST
def cart_update(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    item = _cart_item(request, item_id)
    form = QuantityForm(request.POST)
    if form.is_valid():
        try:
            services.cart_set_quantity(item=item, quantity=form.cleaned_data["quantity"])
            return _cart_response(request)
        except CheckoutError as error:
            form.add_error("quantity", str(error))
    if not request.htmx:
        messages.error(request, _first_error(form))
    return _cart_response(
        request,
        status=422,
        failed={
            "pk": item.pk,
            "value": request.POST.get("quantity", ""),
            "error": _first_error(form),
        },
    )


@never_cache
@require_POST
def cart_remove(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    item = _cart_item(request, item_id)
    services.cart_remove(item=item)
    messages.success(request, f"Removed {item.product.name} from your cart.")
    return _cart_response(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HtmxHttpRequest) -> HttpResponse:
    """Review the cart, give a shipping address (prefilled with the one kept for the customer),
    place the order."""
    context = _cart_context(request)
    if not context["items"]:
        messages.info(request, "Your cart is empty. Add something first.")
        return redirect("checkout:cart")

    if request.method == "POST":
        form = ShippingForm(request.POST)
        if form.is_valid():
            try:
                order = services.order_place(
                    cart=services.cart_for(user=request.user, session=request.session),
                    customer=request.user,
                    shipping=form.shipping,
                    save_address=form.cleaned_data["save_address"],
                )
            except CheckoutError as error:
                messages.error(request, str(error))
                return redirect("checkout:cart")
            messages.success(request, f"{order} is placed. Check it and choose how to pay below.")
            return redirect(order)
    else:
        form = ShippingForm(initial=ShippingForm.initial_for(request.user))

    status = 422 if form.errors else 200
    return render(request, "checkout/checkout.html", {**context, "form": form}, status=status)


@never_cache
@login_required
@require_safe
def order_list(request: HtmxHttpRequest) -> HttpResponse:
    orders = (
        Order.objects.for_customer(request.user)
        .annotate(units=Sum("lines__quantity"))
        # Meta.ordering is not applied to an aggregated (GROUP BY) query: say it again.
        .order_by("-created_at", "-pk")
    )
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "checkout/order_list.html", {"page": page})


def _own_order(request: HtmxHttpRequest, pk: int) -> Order:
    """The signed-in customer's order; another customer's order is a 404, not a 403."""
    return get_object_or_404(Order.objects.for_customer(request.user), pk=pk)


def _order_page(
    request: HtmxHttpRequest,
    order: Order,
    status: int = 200,
    *,
    lines: list[OrderLine] | None = None,
    just_changed: bool = False,
) -> HttpResponse:
    if lines is None:
        lines = OrderLine.objects.filter(order=order).select_related("product")
    context = {
        "order": order,
        "lines": lines,
        "just_changed": just_changed,
        "version": _version(order),
        # While only the shop may move it on (ship it, deliver it), the page watches for that.
        "awaiting_staff": awaits_the_shop(order.status),
    }
    template = "checkout/order_detail.html#order" if request.htmx else "checkout/order_detail.html"
    return render(request, template, context, status=status)


@never_cache
@login_required
@require_safe
def order_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The customer's order. While staff have work to do on it (ship it, deliver it), the page
    asks again every few seconds with the version it shows (`?seen=`): unchanged, the answer is
    an empty 204 that htmx leaves alone; changed (shipped, say), the fresh fragment."""
    order = _own_order(request, pk)
    if request.htmx and request.GET.get("seen") == _version(order):
        return HttpResponse(status=204)
    return _order_page(request, order)


def _version(order: Order) -> str:
    # Every change of an order goes through save(), which moves updated_at (auto_now).
    return order.updated_at.isoformat()


def _order_action(request: HtmxHttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run a customer's service on their order (cancel) and answer: the order fragment for
    HTMX, else a redirect.

    The answer's message replaces the page's earlier ones (base.html#messages), so "placed,
    choose how to pay" does not linger above "cancelled".
    """
    try:
        # The ownership check is part of the service's locked read: one query, not two.
        order = action(order=pk, customer=request.user)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
    except (CheckoutError, OrderRefused) as error:
        order = _own_order(request, pk)  # as it is after the rollback
        messages.error(request, str(error))
        if not request.htmx:
            return redirect(order)
        return _order_page(request, order, status=409)

    messages.success(request, done.format(order=order))
    if not request.htmx:
        return redirect(order)
    # The service loaded the lines with their products (by product id, the order it locks
    # in): shown in the page's own order (OrderLine.Meta.ordering), without asking again.
    lines = sorted(order.lines.all(), key=lambda line: (line.product_name, line.pk))
    return _order_page(request, order, lines=lines, just_changed=True)


@never_cache
@login_required
@require_POST
def order_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _order_action(request, pk, services.order_cancel, "{order} is cancelled.")
