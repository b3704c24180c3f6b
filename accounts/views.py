from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from ratelimits.services import RateLimit, RateLimited, client_network
from storefront.http import HtmxHttpRequest, safe_next_url

from . import services, tasks
from .forms import CustomerForm, SignInForm, SignUpForm
from .models import Customer

# New accounts per address (settings.RATE_LIMITS["sign-up"]).
SIGN_UPS = RateLimit("sign-up")
# Availability checks of sign-up fields per address.
SIGN_UP_CHECKS = RateLimit("sign-up-check")
# Password reset requests per address, and per e-mail address asked for.
RESETS = RateLimit("password-reset")
RESETS_FOR_ADDRESS = RateLimit("password-reset-account")
# Verification links mailed again, per address asked from and per address mailed to.
VERIFICATION_MAILS = RateLimit("verification-mail")


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    """Create an account, sign in, and go on to a safe `next` or the shop.

    Refused, an HTMX submission gets back just the form with its errors and what was typed;
    without JavaScript the whole page comes back. 422 either way, nothing saved; 429 when the
    visitor's address has created its share of accounts for now (only complete, valid
    submissions count), or, like `signup_check`, when it has been told its share of times
    that a username or e-mail address is taken (settings.RATE_LIMITS["sign-up-check"]).
    """
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    if request.method == "POST":
        form = SignUpForm(request.POST)
        retry_after = 0
        user = None
        if form.is_valid():
            try:
                SIGN_UPS.take(client_network(request))
            except RateLimited as limited:
                retry_after = limited.retry_after
                form.add_error(
                    None,
                    "Too many accounts have been created from your network just now. "
                    f"Please try again in {limited.wait}.",
                )
            else:
                user = services.user_sign_up(form=form)
            if user is not None:
                login(request, user)
                messages.success(
                    request,
                    f"Welcome to Storefront, {user.get_username()}! We sent a link to "
                    f"{user.email}: follow it to verify your address.",
                )
                destination = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
                if request.htmx:
                    # Signing in changes the whole page (the navbar first), so load it anew.
                    return HttpResponseClientRedirect(destination)
                return redirect(destination)
        if form.says_taken():
            # Saying that a username or address has an account is what an availability check
            # does: counted with the checks, and past their limit it is not said.
            try:
                SIGN_UP_CHECKS.take(client_network(request))
            except RateLimited as limited:
                retry_after = limited.retry_after
                typed = {name: request.POST.get(name, "") for name in SignUpForm.checked_on_leave}
                form = SignUpForm(initial=typed)
                messages.warning(
                    request,
                    "Usernames and e-mail addresses were checked often from your network just "
                    f"now. Please try again in {limited.wait}.",
                )
        template = "accounts/signup.html#form" if request.htmx else "accounts/signup.html"
        context = {"form": form, "next": next_url}
        response = render(request, template, context, status=429 if retry_after else 422)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response

    return render(request, "accounts/signup.html", {"form": SignUpForm(), "next": next_url})


@require_POST
def signup_check(request: HtmxHttpRequest, field_name: str) -> HttpResponse:
    """One sign-up field, validated as the visitor leaves it and sent back with any error.

    200 even when the value is refused: the check worked, and nothing was submitted yet. 429
    past the address's share of checks (settings.RATE_LIMITS["sign-up-check"]): each one tells
    whether a username or e-mail address has an account.
    """
    if field_name not in SignUpForm.checked_on_leave:
        raise Http404("Only some sign-up fields are checked on their own.")
    form = SignUpForm(request.POST)
    try:
        # Each check says whether a username or address has an account: counted per address,
        # so nobody can run through a list of them.
        SIGN_UP_CHECKS.take(client_network(request))
    except RateLimited as limited:
        # The field comes back as typed and unchecked; the message says why.
        form = SignUpForm(initial={field_name: request.POST.get(field_name, "")})
        messages.warning(
            request,
            "That was checked often from your network just now: it will be checked when you "
            f"create the account (or here again in {limited.wait}).",
        )
        context = {"form": form, "field": form[field_name]}
        response = render(request, "accounts/signup.html#field", context, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    return render(request, "accounts/signup.html#field", {"form": form, "field": form[field_name]})


@never_cache
@login_required
@require_safe
@vary_on_headers("HX-Request")
def account(request: HtmxHttpRequest) -> HttpResponse:
    """The shopper's own page: sign-in details, contact details and shipping address.

    HTMX asks for the profile card alone when an in-place edit is cancelled.
    """
    customer = Customer.objects.for_user(request.user)
    template = "accounts/account.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#profile"
    return render(request, template, {"customer": customer})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def account_edit(request: HtmxHttpRequest) -> HttpResponse:
    """Edit contact details and shipping address: in place with HTMX, as a page without.

    Saved, HTMX gets the updated profile card and a plain browser is sent back to the
    account page. Refused, the form comes back with its errors and the typed values (422).
    """
    customer = Customer.objects.for_user(request.user)
    template = "accounts/account.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#profile_form"

    if request.method == "POST":
        form = CustomerForm(request.POST, instance=customer)
        if form.is_valid():
            form.save()
            messages.success(request, "Your details are saved.")
            if request.htmx:
                return render(request, "accounts/account.html#profile", {"customer": customer})
            return redirect("account")
        return render(request, template, {"customer": customer, "form": form}, status=422)

    form = CustomerForm(instance=customer)
    return render(request, template, {"customer": customer, "form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset form, answered the same way whether the address has an account.

    The request only counts the limits and queues a task (`accounts.tasks.send_password_reset`)
    with the address: one path, one time, for every address, and nothing to learn from
    either. The worker then looks the address up and queues the mail through the outbox, which
    retries through mail server outages. The mail's link is a credential, and staff can read
    the outbox in the admin: so it is queued with the user's id only and rendered when it is
    delivered, with a fresh link (accounts.services.password_reset_send).
    """

    def form_valid(self, form) -> HttpResponse:
        """Queue the reset, unless the address or the e-mail asked for has had its share.

        Both are counted whether or not the e-mail has an account, so a refusal tells nothing
        about it (settings.RATE_LIMITS "password-reset" and "password-reset-account").
        """
        email = form.cleaned_data["email"]
        try:
            RESETS.take(client_network(self.request))
            RESETS_FOR_ADDRESS.take(email.casefold())
        except RateLimited as limited:
            form.add_error(
                None,
                "Several password resets were asked for just now. Please check your inbox "
                f"(and spam folder), or try again in {limited.wait}.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(limited.retry_after)
            return response
        tasks.send_password_reset.enqueue(email)
        return HttpResponseRedirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
def verify_email(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link mailed to verify an address: a page with a button (GET), which verifies (POST).

    Opening the link changes nothing, so a mail scanner that follows links verifies nothing.
    A link altered, expired or made for another address answers 400 with what to do.
    """
    context = {"token": token}
    if request.method == "POST":
        try:
            user, verified = services.email_verify(token=token)
        except services.VerificationError as error:
            context["error"] = str(error)
        else:
            context.update(verified_email=user.email, news=verified)
    status = 400 if "error" in context else 200
    return render(request, "accounts/verify_email.html", context, status=status)


@login_required
@require_POST
def verification_resend(request: HtmxHttpRequest) -> HttpResponse:
    """Mail the signed-in user a new link verifying their address (429 when asked too often)."""
    user = request.user
    if user.has_verified_email or not user.email:
        return redirect("account")
    try:
        VERIFICATION_MAILS.take("from", client_network(request))
        VERIFICATION_MAILS.take("to", user.email.casefold())
    except RateLimited as limited:
        messages.error(request, f"We sent links just now. Please try again in {limited.wait}.")
        response = redirect("account")
        response["Retry-After"] = str(limited.retry_after)
        return response
    services.email_verification_send(user=user)
    messages.success(request, f"We sent a new link to {user.email}.")
    return redirect("account")


class SignInView(auth_views.LoginView):
    """Django's sign-in, with the form that refuses a username locked out after failures.

    The lockout comes back as 429 with Retry-After; the page says how long in words.
    """

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if user.email and not user.has_verified_email:
            messages.info(
                self.request,
                f"Your address {user.email} is not verified yet: follow the link we sent, or "
                "ask for a new one on your account page.",
            )
        return response

    def get_redirect_url(self, request=None) -> str:
        # The shop's one rule for `next` (storefront.http.safe_next_url): a path on this site,
        # never the sign-in page itself, which Django would answer with a ValueError (a 500)
        # for a visitor who is already signed in.
        return safe_next_url(request or self.request)

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.locked_for:
            response.status_code = 429
            response["Retry-After"] = str(form.locked_for)
        return response


class SignOutView(auth_views.LogoutView):
    """Django's sign-out, with the shop's one rule for `next` (storefront.http.safe_next_url)."""

    def get_redirect_url(self, request=None) -> str:
        return safe_next_url(request or self.request)
