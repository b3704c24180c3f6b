"""How settings read the environment: the URL schemes, the typed values, and the checks that
stop a start with a clear message instead of a shop that misbehaves later.

storefront/settings.py reads every variable through these; nothing here is a setting itself.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import TypedDict

import environ
from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

env = environ.Env()


def caches_from_url(url: str) -> dict:
    """Map a CACHE_URL onto CACHES: django-environ's schemes, and diskcache:///folder."""
    if url.startswith("diskcache://"):
        # The shop's own scheme: what follows it is the folder.
        folder = url.removeprefix("diskcache://")
        return {"default": {"BACKEND": "pagecache.backends.DiskCache", "LOCATION": folder}}
    return {"default": environ.Env.cache_url_config(url)}


def mailers_from_url(url: str) -> dict:
    """Map an EMAIL_URL (smtp://, consolemail://, filemail:///path, ...) onto MAILERS."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],
            "username": config["EMAIL_HOST_USER"] or None,
            "password": config["EMAIL_HOST_PASSWORD"] or None,
            "use_tls": config.get("EMAIL_USE_TLS", False),
            "use_ssl": config.get("EMAIL_USE_SSL", False),
            # A mail server that hangs must not hold a worker forever.
            "timeout": config.get("OPTIONS", {}).get("TIMEOUT", 10),
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": "/" + config["EMAIL_FILE_PATH"]}
    else:
        options = {}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


def amount(name: str, default: str, *, below: Decimal | None = None) -> Decimal:
    """A money or percentage variable: a decimal of 0 or more (and under `below`)."""
    raw = env.str(name, default=default)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise ImproperlyConfigured(f"{name} must be a number of 0 or more, not {raw!r}.")
    if below is not None and value >= below:
        raise ImproperlyConfigured(f"{name} is below {below}, not {value}.")
    return value


def money_locale(name: str, default: str) -> str:
    """A locale Babel knows (en_US, de_DE): how amounts are written."""
    locale = env.str(name, default=default)
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise ImproperlyConfigured(
            f"{name} must be a locale such as en_US or de_DE, not {locale!r}."
        ) from None
    return locale


def currency(name: str, default: str) -> str:
    """An ISO 4217 currency code (USD, EUR)."""
    code = env.str(name, default=default).upper()
    if get_currency_name(code, locale="en") == code:
        # Babel names every ISO 4217 currency it knows; an unknown code comes back unchanged.
        raise ImproperlyConfigured(f"{name} must be an ISO 4217 code such as USD, not {code!r}.")
    return code


def email_addresses(name: str) -> list[str]:
    """A comma-separated list of e-mail addresses."""
    addresses = env.list(name, default=[])
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(
                f"{name} is a comma-separated list of e-mail addresses; {address!r} is not one."
            ) from None
    return addresses


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`."""
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} is {' or '.join(choices)}, not {value!r}.")
    return value


def choices(name: str, allowed: list[str]) -> list[str]:
    """A comma-separated list of some of `allowed`, at least one (all of them by default)."""
    chosen = env.list(name, default=allowed)
    if not chosen or set(chosen) - set(allowed):
        raise ImproperlyConfigured(
            f"{name} lists some of {', '.join(allowed)}, not {','.join(chosen)!r}."
        )
    return chosen


def at_least(name: str, default: int, *, minimum: int) -> int:
    """A whole number of `minimum` or more."""
    value = env.int(name, default=default)
    if value < minimum:
        raise ImproperlyConfigured(f"{name} is {minimum} or more, not {value}.")
    return value


class RateLimitRule(TypedDict):
    """One rule of RATE_LIMITS: at most `limit` events per `window`."""

    limit: int
    window: timedelta


def rate_limits(name: str, limits: dict[str, RateLimitRule]) -> dict[str, RateLimitRule]:
    """`limits` with the counts the variable gives ("sign-up=50,comment=20"), each window
    kept."""
    limits = dict(limits)
    for pair in env.list(name, default=[]):
        key, _, count = pair.partition("=")
        try:
            limit = int(count)
        except ValueError:
            limit = 0
        if key not in limits or limit < 1:
            raise ImproperlyConfigured(
                f"{name} takes name=number pairs, each name one of {', '.join(limits)} "
                f"and each number 1 or more, not {pair!r}."
            )
        limits[key] = {**limits[key], "limit": limit}
    return limits
