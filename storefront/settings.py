"""
Storefront settings: one module, one reader of the environment (through
storefront/environment.py, which parses URLs and checks values).

Development works with nothing set (SQLite, console e-mail, DEBUG on). Production sets
DEBUG=false and must then provide SECRET_KEY; every other variable has a safe default.
See the README's "Configuration" table for the full list.
"""

import hashlib
import importlib.util
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .environment import (
    RateLimitRule,
    amount,
    at_least,
    caches_from_url,
    choice,
    choices,
    currency,
    email_addresses,
    env,
    mailers_from_url,
    money_locale,
    rate_limits,
)

BASE_DIR = Path(__file__).resolve().parent.parent

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
    # Project apps first so their templates take precedence over the admin's and crispy's.
    "storefront",
    "pagecache",
    "money",
    "seo",
    "operations",
    "development",
    "ratelimits",
    "addresses",
    "accounts",
    # Before catalog: receivers run in the order their apps connected them, and the alerts'
    # mail of an order's move must render before the catalog's receiver locks the product
    # rows (taking stock), which stay locked until the commit. `manage.py check` (and so
    # migrate and runserver) fails with alerts.E001 when another app connects first.
    "alerts",
    "catalog",
    "checkout",
    # After checkout: its demo pays for the orders checkout's demo makes.
    "payments",
    "blog",
    "outbox",
    # The back office: the admin's first page (staff's dashboard) and its reports.
    "dashboard",
    # Django's admin, opening on the dashboard (dashboard/site.py says how).
    "dashboard.site.ShopAdminConfig",
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
    "django_filters",
    "pictures",
]

MIDDLEWARE = [
    # First, so that its one line per request times and sees everything, redirects and static
    # files included, and every line logged below it carries the request's id.
    "operations.requestlog.RequestLogMiddleware",
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
    # Before anything that reads a copy of a row in the cache (the navbar's cart count): the
    # copies share one read of the cache's epoch per request (pagecache/rows.py).
    "pagecache.rows.OneEpochPerRequestMiddleware",
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
                "storefront.context_processors.shop",
                # After Django's csrf processor (always first), whose token it replaces.
                "pagecache.context_processors.csrf",
                # After the auth and csrf processors, which it overrides on cached pages.
                "pagecache.context_processors.page_cache",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url style) through
# DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queued on a lock file instead of sleeping in
    # SQLite's busy handler while the write lock is taken (queued_sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "queued_sqlite"
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

# Pages shared by all visitors live in the cache, and signals invalidate them there, so every
# process serving the shop must see the same cache. Development runs one process (memory is
# fine); production defaults to SQLite files on this machine that all its workers share
# (CACHE_URL=diskcache:///folder names another folder; pagecache/backends.py says why not
# Django's file cache, and why only the shop's user may read or write that folder), and
# several machines need Redis: CACHE_URL=redis://host:6379/0.
# The default folder is named after the database, so pages cached from one database are
# never served for another after DATABASE_URL changes.
_database_tag = hashlib.sha256(
    f"{DATABASES['default'].get('HOST')}|{DATABASES['default']['NAME']}".encode()
).hexdigest()[:12]


CACHES = caches_from_url(
    # Unset or empty: the default.
    env.str("CACHE_URL", default="")
    or (
        "locmemcache://storefront"
        if DEBUG
        else f"diskcache://{BASE_DIR / '.cache' / _database_tag}"
    )
)
# Several shops (or a shop and its load test) can share one Redis, each under its own prefix.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
# The cache is an optimisation, never a single point of failure: with Redis unreachable, this
# backend answers as an empty cache (pages render uncached), logs the outage once and skips
# Redis for a few seconds at a time instead of every request waiting for it
# (pagecache/backends.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "pagecache.backends.ResilientRedisCache"
# Sessions live in the database and are read with their user in one query on every request
# that carries one: who is signed in is never decided by a copy in the cache, which could
# have missed a sign-out (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
AUTHENTICATION_BACKENDS = ["accounts.backends.SessionUserBackend"]

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
# The shop's time zone: its days (the dashboard's "today", a report's dates) begin at midnight
# there. Times are stored in UTC whatever it is.
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files: our own and Bootstrap's (vendored in static/vendor/bootstrap/, no CDN) from
# static/, htmx from django-htmx's app static folder.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (product pictures and their renditions) go through STORAGES["default"]: files
# under MEDIA_ROOT by default. Several machines need one shared storage instead (an S3 bucket
# through django-storages, say): docs/deploy.md.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# The shop serves MEDIA_URL itself (storefront.urls), in development and in `make serve`
# alike, so a single machine needs nothing else. Turn it off when a proxy or a bucket serves
# the files.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
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


MAILERS = mailers_from_url(env.str("EMAIL_URL", default="consolemail://"))
if DEBUG and MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # In development, mail printed to the console is for a person to read and use (the link in
    # a password-reset mail). With DEBUG off Django's own stays, which `check --deploy` refuses.
    MAILERS["default"]["BACKEND"] = "development.mailers.ConsoleEmailBackend"
# To try the production configuration on one machine without a mail server (README:
# Production), EMAIL_URL=filemail:///some/folder keeps every mail in a file there. Django's
# deploy check refuses the file backend as development-only (mail.E001) because nothing is
# sent; naming a folder to keep mail in is a deliberate choice, not a forgotten setting, so
# that one check is silenced for that one URL. The console mailer still fails it.
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Storefront <shop@localhost>")

# Background work (e-mail) goes through Django's Tasks API into a durable queue in the
# database; `manage.py run_worker` (outbox) runs it.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    # django-pictures makes every size of an uploaded picture once, as a task queued after
    # the upload commits. Here that task runs at once, in the process that saved the upload:
    # the pictures exist before anyone can be shown a page pointing at them, and they do not
    # depend on the worker being up. An admin upload takes a second or two longer (a
    # 4000 px photo, ~10 s). To move the work to the worker instead, give this alias the
    # database backend and run a worker with `--backend pictures`.
    "pictures": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["pictures"],
    },
}

# Product pictures (django-pictures): each upload is cut to square renditions in AVIF (the
# smallest) and WebP (the fallback every current browser has), in widths for Bootstrap's grid
# at 1x and 2x pixel density, listed in the <picture>'s srcset so the browser fetches only the
# size it shows. Breakpoints and container width are Bootstrap 5's.
PICTURES = {
    "BREAKPOINTS": {"xs": 576, "s": 768, "m": 992, "l": 1200, "xl": 1400},
    "GRID_COLUMNS": 12,
    "CONTAINER_WIDTH": 1320,
    "FILE_TYPES": ["AVIF", "WEBP"],
    "PIXEL_DENSITIES": [1, 2],
    # Real files everywhere: the library's generated placeholders would hide a missing
    # rendition in development.
    "USE_PLACEHOLDERS": False,
    "BACKEND": "pictures",
    "QUEUE_NAME": "pictures",
}

# The outbox (outbox/services.py): how long a worker's claim on a mail holds (it must outlast
# the slowest real attempt, a handful of SMTP exchanges of at most 10 s each), and how often a
# running worker looks for mail whose delivery task was lost. 5 minutes each; the soak's
# fault run shortens them so that a killed worker's mail is recovered within its time.
OUTBOX_CLAIM_LEASE = timedelta(seconds=env.int("OUTBOX_CLAIM_LEASE_SECONDS", default=300))
OUTBOX_RECOVERY_INTERVAL = timedelta(
    seconds=env.int("OUTBOX_RECOVERY_INTERVAL_SECONDS", default=300)
)

# Housekeeping (operations/housekeeping.py, a recurring task every worker books): how long
# finished task rows and sent mail are kept, and when a task still RUNNING is taken for
# abandoned by a worker that died. Failed and unfinished mail is never pruned.
RETENTION = {
    "finished_tasks": timedelta(days=env.int("RETAIN_FINISHED_TASKS_DAYS", default=14)),
    "sent_email": timedelta(days=env.int("RETAIN_SENT_EMAIL_DAYS", default=90)),
}
TASK_RUNNING_TIMEOUT = timedelta(minutes=env.int("TASK_RUNNING_TIMEOUT_MINUTES", default=60))

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
# e-mail shows is formatted by money.formatting for CURRENCY in MONEY_LOCALE (Babel's CLDR
# data: symbol, separators, decimals). Orders keep the currency they were placed in.
CURRENCY = currency("CURRENCY", "USD")
MONEY_LOCALE = money_locale("MONEY_LOCALE", "en_US")


# Shipping: a flat rate per order, free from this subtotal on (0 turns free shipping off).
SHIPPING_FLAT_RATE = amount("SHIPPING_FLAT_RATE", "4.95")
FREE_SHIPPING_THRESHOLD = amount("FREE_SHIPPING_THRESHOLD", "50.00")
# Prices (shipping too) include tax at this rate, in percent; checkout shows the part of the
# total that is tax ("incl. VAT 20%"). TAX_NAME is what the shop's customers call it.
TAX_RATE = amount("TAX_RATE", "20", below=Decimal(100))
TAX_NAME = env.str("TAX_NAME", default="VAT")

# Payments (payments/, README: Payments). Money confirms an order: a card authorized through
# Stripe's hosted page, or a bank transfer that staff record when it arrives.
PAYMENT_METHODS = choices("PAYMENT_METHODS", ["card", "bank_transfer"])
# A trial of the production configuration pays with test money, as development does: the
# local Stripe sandbox and made-up bank details are then the defaults, and `check --deploy`
# lets them pass (it refuses them otherwise: payments/checks.py).
PAYMENTS_TRIAL = env.bool("PAYMENTS_TRIAL", default=False)
_test_payments = DEBUG or PAYMENTS_TRIAL
# The sandbox `make run` starts (stripe_sandbox/): its address, key and webhook secret.
STRIPE_SANDBOX_URL = "http://127.0.0.1:12111"
# Stripe's API itself unless set: the sandbox's address (or stripe-mock's) points elsewhere.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default=STRIPE_SANDBOX_URL if _test_payments else "")
STRIPE_SECRET_KEY = env.str(
    "STRIPE_SECRET_KEY", default="sk_test_storefront_sandbox" if _test_payments else ""
)
# The signing secret of the shop's webhook endpoint (whsec_…): every event is verified with it.
STRIPE_WEBHOOK_SECRET = env.str(
    "STRIPE_WEBHOOK_SECRET", default="whsec_storefront_sandbox" if _test_payments else ""
)
# Seconds to wait for each answer of Stripe's (the SDK tries twice more, with the same key).
STRIPE_TIMEOUT = env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
# Where a bank transfer goes: shown on the order page and in the mail with the order's
# reference.
BANK_TRANSFER = {
    "account_name": env.str("BANK_ACCOUNT_NAME", default=SHOP_NAME),
    "iban": env.str("BANK_IBAN", default="GB33 BUKB 2020 1555 5555 55" if _test_payments else ""),
    "bic": env.str("BANK_BIC", default="BUKBGB22" if _test_payments else ""),
}
# An order still unpaid this many days after it was placed is cancelled (checkout.tasks).
UNPAID_ORDER_DAYS = at_least("UNPAID_ORDER_DAYS", 7, minimum=1)

# Stock badges say "Only N left" at or below this many units.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)
# Where low-stock alerts go; empty: to every active staff user with an e-mail address.
SHOP_STAFF_EMAIL = env.str("SHOP_STAFF_EMAIL", default="")

# Abuse limits (ratelimits/services.py): at most `limit` events per `window` for one subject;
# the event that reaches the limit starts a whole window of waiting. Counted in the database,
# one locked row per subject, so every worker on every machine counts together and a cache
# outage forgets nothing. Everyone behind one address shares its per-address counts: the
# RATE_LIMITS variable changes how many each allows (README: Tuning the limits).
RATE_LIMITS: dict[str, RateLimitRule] = {
    # Failed sign-ins for one username from one address, then a lockout.
    "sign-in": {"limit": 5, "window": timedelta(minutes=15)},
    # Accounts created from one address (an IPv6 client's whole /64).
    "sign-up": {"limit": 5, "window": timedelta(hours=1)},
    # Comments posted by one user.
    "comment": {"limit": 10, "window": timedelta(minutes=10)},
    # Sign-up fields checked as the visitor leaves them, and sign-ups refused as taken, per
    # address: a person needs a handful; more is someone asking which addresses and usernames
    # have accounts.
    "sign-up-check": {"limit": 20, "window": timedelta(minutes=10)},
    # Password reset requests from one address, and for one e-mail address (whether it has an
    # account or not, so the limit itself tells nothing): no mail flood, for anyone.
    "password-reset": {"limit": 5, "window": timedelta(hours=1)},
    "password-reset-account": {"limit": 3, "window": timedelta(hours=1)},
    # "E-mail me when it's back" confirmation mails a visitor asks for: per address they come
    # from, and per address they go to (nobody's inbox is flooded from many networks).
    "stock-alert": {"limit": 5, "window": timedelta(hours=1)},
    # Links that verify an account's e-mail address, mailed again on request: per address they
    # are asked from, and per address they go to.
    "verification-mail": {"limit": 3, "window": timedelta(hours=1)},
}


RATE_LIMITS = rate_limits("RATE_LIMITS", RATE_LIMITS)
# A load test is one address posting far faster than people do: `make bench` turns the
# limits off for its own throwaway server. Never in production.
if not env.bool("RATE_LIMITS_ENABLED", default=True):
    RATE_LIMITS = {name: {**rule, "limit": 10**9} for name, rule in RATE_LIMITS.items()}

# ---- Errors and logs (README: "When something goes wrong") -------------------------------
# Errors reach someone: a server error (a 500, a failed task) is mailed to ADMINS through the
# outbox, never from inside the request, and each distinct error at most once per
# ERROR_MAIL_WINDOW (operations/errormail.py); Sentry gets every one when SENTRY_DSN is set.
ADMINS = email_addresses("ADMINS")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = f"[{SHOP_NAME}] "
ERROR_MAIL_WINDOW = timedelta(minutes=env.int("ERROR_MAIL_WINDOW_MINUTES", default=60))

# One line per request (method, path, status, duration, request id), and the request's or the
# task's id on every line logged while it runs (operations/requestlog.py); LOG_FORMAT=json
# writes each line as a JSON object. Every line is written once, by the root logger's handler:
# Django's own configuration gives its "django" logger a console handler of its own (for
# DEBUG) that also propagates to the root, which printed each of Django's lines twice ("Not
# Found: …", "Task … SUCCESSFUL"), so that logger keeps only the error mail.
LOG_FORMAT = choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "operations.requestlog.ContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"()": "operations.requestlog.TextFormatter"},
        "json": {"()": "operations.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "operations.errormail.ErrorMailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"]},
        # Requests for a host not in ALLOWED_HOSTS are bots and scanners, answered 400: logged,
        # not mailed.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
        # runserver's own line per request (development): the request log's replaces it.
        "django.server": {"handlers": [], "propagate": False},
        # The Stripe SDK logs every request at INFO: the payments app logs what matters itself.
        "stripe": {"level": "WARNING"},
    },
}

# Sentry, when SENTRY_DSN is set (operations.sentry starts it): each error with its stack,
# request and breadcrumbs (the log lines before it), tagged with its request id. No personal
# data (addresses, cookies, the signed-in user) unless SENTRY_SEND_DEFAULT_PII=true says the
# shop's privacy terms allow it.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_SEND_DEFAULT_PII = env.bool("SENTRY_SEND_DEFAULT_PII", default=False)
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
# Errors only; performance tracing costs every request, so it is opt-in.
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# ---- end of errors and logs ------------------------------------------------------------------

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
# Pictures come from MEDIA_URL: 'self', unless it names another origin (a bucket or a CDN).
_media_origin = re.match(r"https?://[^/]+", MEDIA_URL)
# Stripe Checkout's pages, or the stand-in's (it serves them beside its API).
_payment_page_origin = (
    re.match(r"https?://[^/]+", STRIPE_API_BASE)[0]
    if STRIPE_API_BASE
    else "https://checkout.stripe.com"
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_media_origin[0]] if _media_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Paying by card posts a form whose answer leads to the provider's hosted page.
    "form-action": [CSP.SELF, _payment_page_origin],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# ---- Development only: the debug toolbar (README: "Development") ----------------------------
# With DEBUG on and the `debug` dependency group installed (`make run` installs it; `make serve`
# and the wheel never have it), a contributor sees each page's queries, templates and cache
# calls. Never under the tests (pytest sets PYTEST_VERSION): their pages must be the shop's own.
DEBUG_TOOLBAR = (
    DEBUG
    and "PYTEST_VERSION" not in os.environ
    and importlib.util.find_spec("debug_toolbar") is not None
)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # As early as possible, but after GZip: it writes the toolbar into the page's HTML. The
    # page cache stores what the view answered, so no cached copy ever holds a toolbar.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.gzip.GZipMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]
# ---- end of development only ------------------------------------------------------------------
