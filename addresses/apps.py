from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """A postal address, shared the way django-oscar shares its `AbstractAddress`: an abstract
    model (`models`) and its form fields with their widgets (`forms`).

    An app of its own so that checkout (an order's address) and accounts (the address a
    profile keeps) both build on it without depending on each other. It has no table and
    imports no other app.
    """

    name = "addresses"
