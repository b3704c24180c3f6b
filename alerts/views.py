from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ratelimits.services import RateLimit, RateLimited, client_network
from storefront.http import HtmxHttpRequest

from . import services
from .forms import VisitorSubscribeForm
from .models import StockSubscription, normalize_email

# Confirmation mails visitors ask for (settings.RATE_LIMITS["stock-alert"]).
CONFIRMATION_MAILS = RateLimit("stock-alert")


def _product(pk: int):
    # Through the registry: the alerts app imports nothing of the catalog but its signals.
    return get_object_or_404(apps.get_model("catalog", "Product"), pk=pk)


@require_POST
def subscribe(request: HtmxHttpRequest, product_id: int) -> HttpResponse:
    """ "E-mail me when it's back" on a sold-out product.

    Signed in with a verified address: one click subscribes it. A visitor gives an address, and
    an account whose address is not verified yet uses its own; either is mailed a link that
    confirms it (nothing is stored before). HTMX gets the form back with
    the outcome in it; a plain POST is redirected to the product page with a message. Refused
    input answers 422 (a bad address), 409 (the product is in stock) or 429 (too many
    confirmation mails), and stores nothing.
    """
    product = _product(product_id)
    user = request.user
    form = None if user.is_authenticated else VisitorSubscribeForm(request.POST)
    status, done, error, retry_after = 200, "", "", 0
    try:
        if user.is_authenticated and not user.email:
            raise services.AlertError(
                "Add an e-mail address to your account first, so we know where to write."
            )
        if user.is_authenticated and user.has_verified_email:
            _, created = services.subscribe(product=product, email=user.email, user=user)
            done = (
                f"Done: we'll e-mail you once when {product.name} is back."
                if created
                else f"You're already on the list for {product.name}."
            )
        elif user.is_authenticated or form.is_valid():
            # An address nobody has proved is theirs is mailed a link first, an account's too.
            email = user.email if user.is_authenticated else form.cleaned_data["email"]
            CONFIRMATION_MAILS.take("from", client_network(request))
            CONFIRMATION_MAILS.take("to", normalize_email(email))
            services.request_confirmation(product=product, email=email)
            done = f"Almost done: open the link we sent to {email} to confirm."
        else:
            status, error = 422, form.errors["email"][0]
    except services.AlertError as refused:
        status, error = 409, str(refused)
    except RateLimited as limited:
        status, retry_after = 429, limited.retry_after
        error = f"Too many requests just now. Please try again in {limited.wait}."

    if request.htmx:
        context = {"product": product, "form": form, "done": done, "error": error}
        response = render(request, "alerts/stock_alert.html#form", context, status=status)
    else:
        if done:
            messages.success(request, done)
        else:
            messages.error(request, error)
        response = redirect(product)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def confirm(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link a visitor was mailed: a page with a button (GET), which subscribes (POST).

    Opening the link changes nothing, so a mail scanner that follows links cannot subscribe
    anyone. A link confirms once: used, it answers 409 and changes nothing, whatever became of
    its subscription. A link altered or expired answers 400 with what to do.
    """
    try:
        wanted = services.read_confirmation_token(token)
    except services.AlertError as error:
        return render(request, "alerts/confirm.html", {"error": str(error)}, status=400)
    product = _product(wanted["product"])
    context = {"product": product, "email": wanted["email"], "token": token}
    if services.confirmation_used(token):
        context["error"] = services.USED_LINK
    elif request.method == "POST":
        try:
            _, context["created"] = services.subscribe_confirmed(
                token=token, product=product, email=wanted["email"]
            )
            context["done"] = True
        except services.AlertError as error:
            context["error"] = str(error)
    return render(
        request, "alerts/confirm.html", context, status=409 if "error" in context else 200
    )


@login_required
@require_POST
def unsubscribe(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Cancel one of the signed-in user's waiting subscriptions; anyone else's is a 404."""
    subscription = get_object_or_404(
        StockSubscription.objects.for_user(request.user).waiting().select_related("product"),
        pk=pk,
    )
    services.unsubscribe(subscription=subscription)
    messages.success(request, f"We won't e-mail you about {subscription.product.name}.")
    if request.htmx:
        context = {"subscriptions": _waiting_for(request.user)}
        return render(request, "alerts/account_section.html#section", context)
    return redirect("account")


def _waiting_for(user):
    return StockSubscription.objects.for_user(user).waiting().select_related("product")
