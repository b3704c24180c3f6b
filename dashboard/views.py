"""The dashboard and its actions, all staff only, as every page of the admin.

The dashboard itself is the admin's first page (dashboard/site.py renders it with
`dashboard_context`); the actions on it change things only through the services of the apps
that own them (the catalog's restock, the outbox's re-send), as the admin's own actions do,
and then drop the cached dashboard so that it shows their effect at once.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from catalog.services import restock as add_stock
from money.formatting import format_money
from outbox.services import resend_emails

from . import charts, queries, reports
from .forms import MAX_RESTOCK, DateRangeForm, PackingSlipsForm, RestockForm

CSV_TITLE = "Orders as CSV"


def dashboard_context(request: HttpRequest) -> dict:
    """What the dashboard page shows: the cached dashboard (read afresh with `?refresh`),
    its two charts, and the report form."""
    board = queries.dashboard(fresh="refresh" in request.GET)

    def money(amount) -> str:
        return format_money(amount, board.currency)

    return {
        "board": board,
        "revenue_chart": charts.bar_chart(
            [(day.day, day.sales.revenue) for day in board.days], say=money
        ),
        "orders_chart": charts.bar_chart(
            [(day.day, day.sales.orders) for day in board.days],
            say=str,
            say_in_full=lambda n: f"{n} order{'' if n == 1 else 's'}",
            whole=True,
        ),
        "days": queries.DAYS,
        "to_ship_url": reverse("admin:checkout_order_changelist")
        + "?"
        + urlencode({"status__in": ",".join(queries.SHIP.staff)}),
        "awaiting_payment_kept": bool(queries.AWAITING_PAYMENT),
        "report_form": DateRangeForm.last_days(queries.DAYS),
        "restock_max": MAX_RESTOCK,
        "time_zone": settings.TIME_ZONE,
        "low_stock_threshold": settings.LOW_STOCK_THRESHOLD,
    }


def _back_to_the_dashboard(part: str) -> HttpResponse:
    return redirect(f"{reverse('admin:index')}#{part}")


@require_POST
@staff_member_required
@permission_required("catalog.change_product", raise_exception=True)
def restock(request: HttpRequest, product_id: int) -> HttpResponse:
    """Add the units that arrived to a product, through the catalog's service (which tells
    whoever waits for the product that it is back)."""
    product = get_object_or_404(apps.get_model("catalog", "Product"), pk=product_id)
    form = RestockForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{product}: {form.errors['quantity'][0]} Nothing was added.")
        return _back_to_the_dashboard("to-do")
    quantity = form.cleaned_data["quantity"]
    stock = add_stock(product=product, quantity=quantity)
    queries.forget()
    messages.success(request, f"{product}: {quantity} added, {stock} in stock.")
    return _back_to_the_dashboard("to-do")


@require_POST
@staff_member_required
@permission_required("outbox.change_outboundemail", raise_exception=True)
def resend(request: HttpRequest, email_id: int | None = None) -> HttpResponse:
    """Give one failed mail, or every failed mail, a fresh set of attempts through the
    outbox's service (which never sends a mail twice)."""
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    if email_id is None:
        emails = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    else:
        emails = OutboundEmail.objects.filter(pk=get_object_or_404(OutboundEmail, pk=email_id).pk)
    queued = resend_emails(emails=emails)
    queries.forget()
    if queued:
        messages.success(
            request, f"{queued} e-mail{'' if queued == 1 else 's'} queued to be sent again."
        )
    else:
        messages.warning(request, "Nothing to re-send: that mail was sent, or is being sent.")
    return _back_to_the_dashboard("to-do")


@require_safe
@never_cache
@staff_member_required
@permission_required("checkout.view_order", raise_exception=True)
def orders_csv(request: HttpRequest) -> HttpResponse:
    """The orders placed between two days, with their lines, as a CSV file; without dates,
    the form that asks for them, and with bad ones, that form with what is wrong (400)."""
    if not request.GET:
        form = DateRangeForm.last_days(queries.DAYS)
        return render(request, "dashboard/orders_csv.html", _csv_context(form))
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/orders_csv.html", _csv_context(form), status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = StreamingHttpResponse(
        reports.orders_csv(reports.placed_between(start, end)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="orders-{start}-to-{end}.csv"'
    return response


def _csv_context(form: DateRangeForm) -> dict:
    return {"form": form, "title": CSV_TITLE, "time_zone": settings.TIME_ZONE}


@require_safe
@never_cache
@staff_member_required
@permission_required("checkout.view_order", raise_exception=True)
def packing_slips(request: HttpRequest) -> HttpResponse:
    """A printable packing slip for each order asked for (`?order=12&order=15`), each on a
    page of its own."""
    form = PackingSlipsForm(request.GET)
    if not form.is_valid():
        context = {"errors": form.errors["order"], "orders": []}
        return render(request, "dashboard/packing_slips.html", context, status=400)
    numbers = form.cleaned_data["order"]
    Order = apps.get_model("checkout", "Order")
    found = Order.objects.prefetch_related("lines").in_bulk(numbers)
    if missing := [number for number in numbers if number not in found]:
        raise Http404(f"No order #{missing[0]}.")
    orders = [found[number] for number in numbers]  # in the order asked for
    return render(request, "dashboard/packing_slips.html", {"orders": orders})
