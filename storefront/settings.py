"""
Storefront settings: one module, one reader of the environment.

Development works with nothing set (SQLite, console e-mail, DEBUG on). Production sets
DEBUG=false and must then provide SECRET_KEY; every other variable has a safe default.
See the README's "Configuration" table for the full list.
"""

import hashlib
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for development; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        ) from None

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Origins trusted for POSTs when a proxy rewrites the Host (e.g. https://shop.example.com).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base for links that leave the site (e-mail): no request to build them from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Project apps first so their templates and management commands take precedence.
    "storefront",
    "accounts",
    "catalog",
    "checkout",
    "blog",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Flat pages (About, Shipping & returns, Privacy, Contact) that staff edit in the admin;
    # they need the sites framework for their "which site" field.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django_countries",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # WhiteNoise right after SecurityMiddleware: static files are answered before sessions,
    # CSRF or auth do any work for them (and already compressed, by collectstatic).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages on their way out, so it sits above everything that reads or writes a
    # response body (the htmx and messages middleware below, the page cache in the views).
    # The CSRF token in a page is masked afresh for every response and Django's gzip adds
    # random bytes to each stream, which is what keeps compression from leaking the token
    # (BREACH); storefront/tests/test_compression.py checks both.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the auth middleware so views see both request.user and request.htmx.
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so they see the view's response first: a sign-in redirect becomes a page
    # navigation, pending messages ride along before MessageMiddleware stores the rest, and an
    # empty 405 gets a page a person can read.
    "storefront.middleware.HtmxSignInRedirectMiddleware",
    "storefront.middleware.HtmxMessagesMiddleware",
    "storefront.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "checkout.context_processors.cart_summary",
                "storefront.context_processors.shop",
                # After the auth and csrf processors, which it overrides on cached pages.
                "storefront.context_processors.page_cache",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url style) through
# DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the write lock when their transaction starts (BEGIN IMMEDIATE), so
        # two confirmations queue behind each other instead of one failing with
        # "database is locked" when it later tries to upgrade a read lock.
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock before giving up.
        "timeout": 20,
        # WAL lets readers proceed while one writer commits; NORMAL sync is durable across
        # application crashes, which is what a single-machine shop needs.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    # Tests use a real file, not shared-cache memory: concurrency tests need SQLite's real
    # locking, and the live server thread of the browser tests shares it without surprises.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
# Keep connections between requests (opening one, and SQLite's PRAGMAs, cost more than many a
# query), checked for health before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pages shared by all visitors live in the cache, and signals invalidate them there, so every
# process serving the shop must see the same cache. Development runs one process (memory is
# fine); production defaults to files on this machine, and several machines need Redis:
# CACHE_URL=redis://host:6379/0.
# The file cache's folder is named after the database, so pages cached from one database are
# never served for another after DATABASE_URL changes.
_database_tag = hashlib.sha256(
    f"{DATABASES['default'].get('HOST')}|{DATABASES['default']['NAME']}".encode()
).hexdigest()[:12]
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default=(
            "locmemcache://storefront"
            if DEBUG
            else f"filecache://{BASE_DIR / '.cache' / _database_tag}"
        ),
    )
}
# Several shops (or a shop and its load test) can share one Redis, each under its own prefix.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
# Sessions are read from the cache and written through to the database: a signed-in request
# costs no session query, and nothing is lost when the cache is.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalog:product_list"
LOGOUT_REDIRECT_URL = "catalog:product_list"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: our own from static/, Bootstrap from the xstatic package (no CDN), htmx from
# django-htmx's app static folder.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files with far-future cache headers in production; plain files in
    # development and tests, which must not need a collectstatic manifest.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Without a collectstatic run (development, tests), WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG


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


MAILERS = mailers_from_url(env.str("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Storefront <shop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (e-mail) goes through Django's Tasks API into a durable queue in the
# database; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The shop's name: the navbar, page titles, Open Graph tags, e-mails and the admin's title.
SHOP_NAME = env.str("SHOP_NAME", default="Storefront")
# One line about the shop: the meta description of pages that have none of their own.
SHOP_DESCRIPTION = env.str(
    "SHOP_DESCRIPTION",
    default="Everyday goods, honestly priced: kitchen tools, stationery and home things, "
    "with live stock and a blog about how they are made.",
)
# The flat pages (django.contrib.flatpages) belong to this site row.
SITE_ID = 1

# Money. Prices are stored as decimals in one currency; every amount a shopper, the admin or an
# e-mail shows is formatted by storefront.money for CURRENCY in MONEY_LOCALE (Babel's CLDR
# data: symbol, separators, decimals). Orders keep the currency they were placed in.
CURRENCY = env.str("CURRENCY", default="USD").upper()
MONEY_LOCALE = env.str("MONEY_LOCALE", default="en_US")


def _amount(name: str, default: str) -> Decimal:
    """A money or percentage setting: a non-negative decimal, or a clear error at start-up."""
    raw = env.str(name, default=default)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise ImproperlyConfigured(f"{name} must be a number of 0 or more, not {raw!r}.")
    return value


try:
    Locale.parse(MONEY_LOCALE)
except (ValueError, UnknownLocaleError):
    raise ImproperlyConfigured(
        f"MONEY_LOCALE must be a locale such as en_US or de_DE, not {MONEY_LOCALE!r}."
    ) from None
if get_currency_name(CURRENCY, locale="en") == CURRENCY:
    # Babel names every ISO 4217 currency it knows; an unknown code comes back unchanged.
    raise ImproperlyConfigured(f"CURRENCY must be an ISO 4217 code such as USD, not {CURRENCY!r}.")

# Shipping: a flat rate per order, free from this subtotal on (0 turns free shipping off).
SHIPPING_FLAT_RATE = _amount("SHIPPING_FLAT_RATE", "4.95")
FREE_SHIPPING_THRESHOLD = _amount("FREE_SHIPPING_THRESHOLD", "50.00")
# Prices (shipping too) include tax at this rate, in percent; checkout shows the part of the
# total that is tax ("incl. VAT 20%"). TAX_NAME is what the shop's customers call it.
TAX_RATE = _amount("TAX_RATE", "20")
TAX_NAME = env.str("TAX_NAME", default="VAT")
if TAX_RATE >= 100:
    raise ImproperlyConfigured(f"TAX_RATE is a percentage below 100, not {TAX_RATE}.")

# Stock badges say "Only N left" at or below this many units.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)

# Abuse limits (storefront/ratelimit.py): at most `limit` events per `window` for one subject;
# the event that reaches the limit starts a whole window of waiting. Counted in the cache, so
# every web worker must see the same one (Redis across machines): in a per-process memory
# cache each worker would count, and lock out, on its own.
RATE_LIMITS = {
    # Failed sign-ins for one username from one address, then a lockout.
    "sign-in": {"limit": 5, "window": timedelta(minutes=15)},
    # Accounts created from one address (an IPv6 client's whole /64).
    "sign-up": {"limit": 5, "window": timedelta(hours=1)},
    # Comments posted by one user.
    "comment": {"limit": 10, "window": timedelta(minutes=10)},
}
# A load test is one address posting far faster than people do: `make bench` turns the
# limits off for its own throwaway server. Never in production.
if not env.bool("RATE_LIMITS_ENABLED", default=True):
    RATE_LIMITS = {name: {**rule, "limit": 10**9} for name, rule in RATE_LIMITS.items()}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Security. Production (DEBUG off) is served over HTTPS: the cookies are secure, plain HTTP is
# redirected and browsers are told to stick to HTTPS (HSTS). HTTPS=false turns that off, for
# trying the production configuration on a laptop or load-testing it on loopback.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Behind a proxy that terminates TLS, says so in X-Forwarded-Proto and appends the client's
# address to X-Forwarded-For (storefront.http.client_ip). Set it only then: otherwise any
# client could claim to be on HTTPS, or to come from someone else's address.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Pages hand the CSRF token to htmx in <body hx-headers>; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No inline script or style anywhere, so no nonces are needed: everything comes from 'self'.
# data: images are Bootstrap's inline SVG icons (navbar toggler, close buttons, selects).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}
