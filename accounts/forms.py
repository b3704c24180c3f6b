from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError

from addresses.forms import AddressForm, address_fieldset
from ratelimits.services import minutes

from .models import Customer, User
from .services import sign_in_attempt_take, sign_in_locked_for


class SignInLockoutMixin:
    """Refuse a username locked out after too many sign-ins from the visitor's address.

    Each attempt is counted *before* its password is tested (`sign_in_attempt_take`), under a
    database row lock: however many arrive at once, across however many workers, at most the
    limit (5) of passwords is ever tested for one username from one address. The attempt that
    reaches the limit is still tested; past it, a right password looks exactly like a wrong
    one, and the message is the same for usernames that exist and those that do not. A
    successful sign-in forgets the count (the `user_logged_in` receiver).
    """

    locked_out_message = (
        "Too many failed sign-ins. For your security, signing in with this username from "
        "here is paused: please try again in %(wait)s, or reset your password."
    )

    # Seconds until the next try is allowed; set when the form refuses one.
    locked_for = 0

    def clean(self):
        username = self.cleaned_data.get("username")
        counted = bool(username) and self.request is not None
        if counted:
            self.locked_for = sign_in_attempt_take(request=self.request, username=username)
            if self.locked_for:
                raise self._locked_out()
        try:
            return super().clean()
        except ValidationError:
            # This attempt may have been the one that reached the limit: say so now rather
            # than at the next try.
            if counted:
                self.locked_for = sign_in_locked_for(request=self.request, username=username)
                if self.locked_for:
                    raise self._locked_out() from None
            raise

    def _locked_out(self) -> ValidationError:
        return ValidationError(
            self.locked_out_message, code="locked_out", params={"wait": minutes(self.locked_for)}
        )


class SignInForm(SignInLockoutMixin, AuthenticationForm):
    """The shop's sign-in form (the `login` URL)."""


class AdminSignInForm(SignInLockoutMixin, AdminAuthenticationForm):
    """The admin's sign-in form: the same failures, counted by the same receiver, lock it too."""


class SignUpForm(UserCreationForm):
    """A new shopper: username and e-mail (each unique, ignoring case) and a password twice.

    UserCreationForm already refuses a username that differs from a taken one only in case
    and runs AUTH_PASSWORD_VALIDATORS against the new user.
    """

    # Fields the page checks as the visitor leaves them, before the whole form is sent.
    checked_on_leave = ("username", "email")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["password1"].label = "Choose a password"
        self.fields["password2"].label = "Confirm password"
        if self.is_bound:
            # htmx focuses an [autofocus] element it swaps in: a re-rendered username field
            # would pull the cursor back as the visitor leaves it.
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def says_taken(self) -> bool:
        """Whether the form's errors say that the username or e-mail address has an account."""
        return self.has_error("username", "unique") or self.has_error("email", "unique")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        # The database constraint guarantees this too; checking here puts the message next
        # to the field instead of above the form.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "A user with that email address already exists.", code="unique"
            )
        return email


class CustomerForm(AddressForm):
    """The contact details and shipping address a shopper edits on the account page."""

    class Meta(AddressForm.Meta):
        model = Customer
        fields = ["display_name", "phone", *AddressForm.Meta.fields]
        labels = {"display_name": "Name"}
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            **AddressForm.Meta.widgets,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The template writes the <form> tag itself: CSRF token, HTMX attributes, buttons.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Contact", Row(Column("display_name"), Column("phone"))),
            address_fieldset("Shipping address"),
        )
        if not self.is_bound:
            # Opening the form (in place or as its own page) puts the cursor in it.
            self.fields["display_name"].widget.attrs["autofocus"] = True
