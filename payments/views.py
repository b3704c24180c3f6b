import json
import logging

import stripe
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from storefront.http import HtmxHttpRequest

from . import services
from .models import Method, Payment
from .services import PaymentError

logger = logging.getLogger(__name__)

# How old a webhook's signature may be: Stripe's own tolerance, so a replayed delivery caught
# on the way is refused once it is five minutes old.
WEBHOOK_TOLERANCE = 300

# Every view but the webhook shows or changes one shopper's payment: @never_cache keeps their
# pages out of shared proxies and the browser's disk.


@never_cache
@login_required
@require_POST
def pay(request: HtmxHttpRequest, order_pk: int) -> HttpResponse:
    """Begin paying for the customer's order: a card goes to the provider's page, a bank
    transfer back to the order, which shows where to send the money.

    The amount is the order's stored total, read by the service; nothing in the request but
    the method is used. A refusal or a provider outage is said on the order page.
    """
    Order = apps.get_model("checkout", "Order")
    order_url = reverse("checkout:order_detail", kwargs={"pk": order_pk})
    try:
        payment = services.payment_start(
            order_id=order_pk, customer=request.user, method=request.POST.get("method", "")
        )
        if payment.method == Method.BANK_TRANSFER:
            messages.success(
                request,
                "Thank you. Please send the transfer as shown: we confirm your order as soon as "
                "the money arrives.",
            )
            return redirect(order_url)
        return redirect(
            services.card_checkout(
                payment=payment,
                success_url=request.build_absolute_uri(payment.get_absolute_url()),
                cancel_url=request.build_absolute_uri(order_url),
            )
        )
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
    except PaymentError as refusal:
        messages.error(request, str(refusal))
        return redirect(order_url)


@never_cache
@login_required
@require_safe
def payment_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Where the shopper lands back from the provider's page: "waiting for your bank" until the
    payment is decided, then their order, with what happened.

    The redirect itself proves nothing (anyone can type its address): the page asks the
    provider (`payment_sync`), whose webhook may also have told the shop already; both go
    through the same locked, idempotent moves. While undecided the page polls itself (htmx:
    an empty 204 while nothing changed); without JavaScript, "Check again" reloads it.
    """
    payment = get_object_or_404(
        Payment.objects.select_related("order"), pk=pk, order__customer=request.user
    )
    if payment.may_still_pay and not request.htmx:
        # A card refused once may have been approved since, on the same page.
        payment = services.payment_sync(payment=payment)
        payment.order.refresh_from_db()
    if payment.is_pending:
        if request.htmx:
            return HttpResponse(status=204)
        return render(request, "payments/paying.html", {"payment": payment})
    _say_what_happened(request, payment)
    order_url = payment.order.get_absolute_url()
    return HttpResponseClientRedirect(order_url) if request.htmx else redirect(order_url)


def _say_what_happened(request: HtmxHttpRequest, payment: Payment) -> None:
    order = payment.order
    if order.status == order.Status.CANCELLED:
        messages.error(request, f"Sorry: {order} is cancelled. {order.cancellation_reason}")
    elif payment.status == Payment.Status.FAILED:
        note = payment.entries.filter(kind="failed").values_list("note", flat=True).first()
        messages.error(
            request,
            f"Your payment did not go through: {note or 'it was refused.'} Nothing was "
            "charged: you can try again.",
        )
    elif payment.status == Payment.Status.EXPIRED:
        messages.info(request, "The payment page expired. Nothing was charged: you can pay again.")
    elif order.was_confirmed:
        messages.success(request, f"Thank you: your payment is accepted and {order} is confirmed.")


@csrf_exempt  # the only such view: the provider cannot hold a CSRF token; the signature is
# its proof instead, checked on the raw body before anything is read from it.
@require_POST
def stripe_webhook(request: HtmxHttpRequest) -> HttpResponse:
    """Stripe's events about the shop's payments (README: Payments).

    An unsigned, wrongly signed, stale or malformed body answers 400 and changes nothing. An
    event is applied once, however often it comes (payments.services.apply_event); the answer
    is 200 once that has committed. Any other failure answers 500, and Stripe tries again.
    """
    if not settings.STRIPE_WEBHOOK_SECRET:
        logger.error("A webhook arrived, but STRIPE_WEBHOOK_SECRET is not set: refused.")
        return HttpResponse("The shop cannot verify webhooks yet.", status=503)
    try:
        stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=WEBHOOK_TOLERANCE,
        )
    except stripe.SignatureVerificationError:
        return HttpResponseBadRequest("The signature does not match.")
    except (ValueError, AttributeError, TypeError):  # not JSON, or JSON but not an object
        return HttpResponseBadRequest("That is not an event.")
    event = _event(request.body)
    if event is None:
        return HttpResponseBadRequest("That is not an event.")
    services.apply_event(event=event)
    return HttpResponse("OK")


def _event(body: bytes) -> dict | None:
    """The event a verified body holds, if it has the shape of one (signed is not well formed)."""
    event = json.loads(body)
    try:
        shaped = all(
            isinstance(v, str)
            for v in (event["id"], event["type"], event["data"]["object"]["object"])
        )
    except (KeyError, TypeError):
        shaped = False
    return event if shaped else None
