"""crowdsci settings, read from the environment (see .env.example).

Every value has a safe development default except in production (``CROWDSCI_PROFILE=production``), where
the secrets and hosts must be given explicitly and a bad value fails start-up loudly.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from crowdsci.wikimedia.common import build_user_agent

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PROFILE = env_str("CROWDSCI_PROFILE", "development")
if PROFILE not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"CROWDSCI_PROFILE={PROFILE!r}: use development, test or production.")
PRODUCTION = PROFILE == "production"

# Published in this file, so anyone can sign sessions and reset links with it: development and tests only.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key published in settings.py; production needs a secret of its own "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters with at least 5 distinct ones.")
else:
    SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)

DEBUG = env_bool("DEBUG", default=PROFILE == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production: the site's host names, comma-separated.")
if PRODUCTION and any(host.startswith("*") for host in ALLOWED_HOSTS):
    # A wildcard answers for any Host header, which lets an attacker put their own host in password-reset links.
    raise ImproperlyConfigured(
        f"ALLOWED_HOSTS={','.join(ALLOWED_HOSTS)!r}: production names its hosts (crowdsci.example.org, or "
        "'.example.org' for a domain and its subdomains); a wildcard is refused."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# The network this instance serves; everything else network-specific is data in the database.
NETWORK_NAME = env_str("NETWORK_NAME", "Network of the National Library of Medicine")
NETWORK_SHORT_NAME = env_str("NETWORK_SHORT_NAME", "NNLM")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    # The assembling app comes before allauth so its site-wide templates override allauth's.
    "crowdsci.site",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.mediawiki",
    "crowdsci.core",
    "crowdsci.network",
    "crowdsci.accounts",
    "crowdsci.catalog",
    "crowdsci.campaigns",
    "crowdsci.events",
    "crowdsci.kits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "crowdsci.accounts.middleware.PreferredLanguageMiddleware",
    # Turns django-ratelimit's refusal into our 429 page (RATELIMIT_VIEW) instead of a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "crowdsci.urls"
WSGI_APPLICATION = "crowdsci.wsgi.application"
ASGI_APPLICATION = "crowdsci.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "crowdsci.site.context_processors.site",
            ],
        },
    },
]

# SQLite by default so a fresh clone runs with no set-up; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while web requests read; busy timeout waits for the write lock
    # instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # django-ratelimit 4.1 predates Django's own Redis backend and warns it is "not officially supported"; the
    # backend's add() and incr() map to Redis SETNX and INCRBY, which are atomic, which is all ratelimit needs.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
elif PRODUCTION:
    raise ImproperlyConfigured("REDIS_URL is required in production: rate limits need a shared cache.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit refuses a per-process cache because limits would not be shared between workers.
    # Development and tests run one process, so the per-process count is exact there.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

RATELIMIT_VIEW = "crowdsci.core.views.rate_limited"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if PROFILE == "test":
    # Tests create many users and are not about hashing; production and development keep Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: email is the login; verification is mandatory before the first log-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "3/5m/key",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{NETWORK_SHORT_NAME}] "
ACCOUNT_ADAPTER = "crowdsci.accounts.adapters.AccountAdapter"
LOGIN_REDIRECT_URL = "accounts-profile"

# --- Sign in with Wikipedia (allauth's MediaWiki provider, OAuth 2) ---
# Register an OAuth 2 consumer on meta.wikimedia.org (Special:OAuthConsumerRegistration/propose/oauth2, "User
# identity verification only", callback https://SITE/accounts/mediawiki/login/callback/) and give its key and secret.
# Without a client id the button is not shown. The adapter reads REST_API once, at import time (see
# ../shared/stack-notes.md), so it comes from the environment, never from a settings override.
WIKIMEDIA_OAUTH_CLIENT_ID = env_str("WIKIMEDIA_OAUTH_CLIENT_ID", "")
WIKIMEDIA_OAUTH_REST_API = env_str("WIKIMEDIA_OAUTH_REST_API", "https://meta.wikimedia.org/w/rest.php")
# The "Sign in with Wikipedia" form posts to us and is redirected to Wikipedia: CSP's form-action must allow it.
WIKIMEDIA_OAUTH_ORIGIN = "/".join(WIKIMEDIA_OAUTH_REST_API.split("/", 3)[:3])
# Wikimedia: every request names us and gives a contact address, as Wikimedia's User-Agent policy asks (the
# clients' requests and allauth's sign-in alike).
WIKIMEDIA_CONTACT = env_str("WIKIMEDIA_CONTACT", "crowdsci-dev@example.org")
SOCIALACCOUNT_PROVIDERS = {
    "mediawiki": {
        "REST_API": WIKIMEDIA_OAUTH_REST_API,
        "USERPAGE_TEMPLATE": "https://en.wikipedia.org/wiki/User:{username}",
        "USER_AGENT": build_user_agent(WIKIMEDIA_CONTACT),
        "APPS": (
            [{"client_id": WIKIMEDIA_OAUTH_CLIENT_ID, "secret": env_str("WIKIMEDIA_OAUTH_CLIENT_SECRET", "")}]
            if WIKIMEDIA_OAUTH_CLIENT_ID
            else []
        ),
    }
}
SOCIALACCOUNT_ADAPTER = "crowdsci.accounts.adapters.SocialAccountAdapter"
# Wikipedia proved who the person is; many editors keep no confirmed email there, so none is asked for.
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
    ("ko", _("Korean")),
    ("vi", _("Vietnamese")),
    ("zh-hans", _("Chinese (simplified)")),
]
LOCALE_PATHS = [BASE_DIR / "crowdsci" / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "crowdsci" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work: django-tasks with the database backend; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "crowdsci <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF, WIKIMEDIA_OAUTH_ORIGIN],
        "frame-ancestors": [csp.NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Catalog: a guide not reviewed within this many days is listed as needing review.
CATALOG_REVIEW_AGE_DAYS = env_int("CATALOG_REVIEW_AGE_DAYS", 365)


# --- #CiteNLM campaigns and live tracking (crowdsci.campaigns) ---
# The recentchange stream track_edits consumes, and the Action API crediting reads revisions from. A URL with
# "{server_name}" is filled per wiki (en.wikipedia.org); one without serves every wiki (a local fake, a proxy).
WIKIMEDIA_STREAM_URL = env_str("WIKIMEDIA_STREAM_URL", "https://stream.wikimedia.org/v2/stream/recentchange")
WIKIMEDIA_API_URL = env_str("WIKIMEDIA_API_URL", "https://{server_name}/w/api.php")
# Each Action API request is tried this many times (429, 5xx, maxlag, timeouts) with backoff from
# CAMPAIGNS_API_RETRY_BASE_SECONDS up to CAMPAIGNS_API_RETRY_MAX_SECONDS (a server's Retry-After wins, capped).
CAMPAIGNS_API_ATTEMPTS = env_int("CAMPAIGNS_API_ATTEMPTS", 3)
CAMPAIGNS_API_RETRY_BASE_SECONDS = float(env_str("CAMPAIGNS_API_RETRY_BASE_SECONDS", "1"))
CAMPAIGNS_API_RETRY_MAX_SECONDS = float(env_str("CAMPAIGNS_API_RETRY_MAX_SECONDS", "30"))
CAMPAIGNS_API_TIMEOUT_SECONDS = float(env_str("CAMPAIGNS_API_TIMEOUT_SECONDS", "30"))
# A crediting task that still fails is retried later, after CAMPAIGNS_CREDIT_RETRY_SECONDS doubled each time;
# after CAMPAIGNS_CREDIT_MAX_ATTEMPTS the edit is "failed" (refresh_edits tries failed edits again).
CAMPAIGNS_CREDIT_MAX_ATTEMPTS = env_int("CAMPAIGNS_CREDIT_MAX_ATTEMPTS", 5)
CAMPAIGNS_CREDIT_RETRY_SECONDS = env_int("CAMPAIGNS_CREDIT_RETRY_SECONDS", 60)
# track_edits reconnects after a drop with backoff from this many seconds (doubling, up to a minute), and gives up
# (exit 1, for the supervisor to restart it) after CAMPAIGNS_STREAM_ATTEMPTS fruitless connections in a row.
CAMPAIGNS_STREAM_RETRY_BASE_SECONDS = float(env_str("CAMPAIGNS_STREAM_RETRY_BASE_SECONDS", "1"))
CAMPAIGNS_STREAM_ATTEMPTS = env_int("CAMPAIGNS_STREAM_ATTEMPTS", 10)
# The status page warns when the stream has been silent (no event read) for longer than this.
CAMPAIGNS_STREAM_SILENCE_WARNING_SECONDS = env_int("CAMPAIGNS_STREAM_SILENCE_WARNING_SECONDS", 300)
# track_edits commits a batch every CAMPAIGNS_INGEST_BATCH_EVENTS events or CAMPAIGNS_INGEST_BATCH_SECONDS.
CAMPAIGNS_INGEST_BATCH_EVENTS = env_int("CAMPAIGNS_INGEST_BATCH_EVENTS", 1000)
CAMPAIGNS_INGEST_BATCH_SECONDS = float(env_str("CAMPAIGNS_INGEST_BATCH_SECONDS", "0.5"))

# The campaign pages (worklists, map). Pageviews for worklist articles come from this REST base.
WIKIMEDIA_PAGEVIEWS_URL = env_str("WIKIMEDIA_PAGEVIEWS_URL", "https://wikimedia.org/api/rest_v1")
# The participant map draws the states from the vendored us-atlas and needs no tile server. A tile URL template
# (https://tiles.example.org/{z}/{x}/{y}.png) adds a base map under them; its origin is allowed as an image source.
CAMPAIGN_MAP_TILE_URL = env_str("CAMPAIGN_MAP_TILE_URL", "")
CAMPAIGN_MAP_TILE_ATTRIBUTION = env_str("CAMPAIGN_MAP_TILE_ATTRIBUTION", "")
if CAMPAIGN_MAP_TILE_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("/".join(CAMPAIGN_MAP_TILE_URL.split("/", 3)[:3]))

# --- Citizen Science Month (crowdsci.events) ---
# Public writes (host sign-up, registration, cancelling from the emailed link), per IP address (per user when
# signed in): enough for a family registering a few events, too few for a script filling an event's places.
EVENTS_PUBLIC_WRITE_RATE = env_str("EVENTS_PUBLIC_WRITE_RATE", "10/m")

# --- Test the Waters kits (crowdsci.kits) ---
# Every time rule of the lending program, in days unless said otherwise.
KITS_CONFIRMATION_REMINDER_BUSINESS_DAYS = env_int("KITS_CONFIRMATION_REMINDER_BUSINESS_DAYS", 3)
KITS_OFFER_DAYS = env_int("KITS_OFFER_DAYS", 5)  # the requester confirms an allocated kit within this
KITS_LOAN_DAYS = env_int("KITS_LOAN_DAYS", 28)  # from delivery to due date
KITS_RENEWAL_DAYS = env_int("KITS_RENEWAL_DAYS", 14)  # one renewal, when nobody waits
KITS_DUE_SOON_DAYS = env_int("KITS_DUE_SOON_DAYS", 3)  # the "due soon" notice, this many days before
KITS_OVERDUE_NOTICE_DAYS = env_int("KITS_OVERDUE_NOTICE_DAYS", 7)  # an overdue notice every this many days
KITS_LOST_AFTER_DAYS = env_int("KITS_LOST_AFTER_DAYS", 45)  # overdue this long: the copy is lost
KITS_SANITATION_TURNAROUND_DAYS = env_int("KITS_SANITATION_TURNAROUND_DAYS", 3)  # cleaning and restocking
KITS_SHIPPING_DAYS = env_int("KITS_SHIPPING_DAYS", 5)  # allowance for the queue's expected dates
KITS_AUDIO_MAX_BYTES = env_int("KITS_AUDIO_MAX_BYTES", 25 * 1024 * 1024)
KITS_REQUEST_RATE = env_str("KITS_REQUEST_RATE", "10/h")  # kit request submissions per address

# --- Production processes, health and metrics ---

# Exactly one active tracker and scheduler (crowdsci.core.locking.leadership): on PostgreSQL an advisory lock;
# on SQLite a lock file, beside the database unless this names a directory.
LEADER_LOCK_DIR = env_str("LEADER_LOCK_DIR", "") or None

# Probes and metrics answer first (crowdsci.core.health, django-prometheus); every other request gets an id and
# one log line (crowdsci.core.logs). django-prometheus's two middlewares bracket all the others to time them.
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "crowdsci.core.health.HealthCheckMiddleware",
    "crowdsci.core.logs.RequestLogMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so it stores the view's own answer, after the others (metrics by view included) have seen the request.
    "crowdsci.core.pagecache.PublicPageCacheMiddleware",
]
# Public pages for anonymous readers are rendered once per this many seconds for everyone (crowdsci.core.pagecache):
# a few seconds' staleness that lets two cores serve hundreds of readers. 0 turns it off (development, tests).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 5 if PRODUCTION else 0)
# The views it applies to, by URL name: pages whose answer to an anonymous reader depends only on the address and
# the language. Forms, exports, staff and personal pages are never listed.
PUBLIC_PAGE_CACHE_VIEWS = frozenset({
    "site-home", "site-ccs",
    "catalog-browse", "catalog-guide", "catalog-category", "catalog-term",
    "network-directory", "network-organization-detail",
    "campaigns-list", "campaigns-detail", "campaigns-live", "campaigns-stats-json", "campaigns-articles",
    "campaigns-map", "campaigns-map-json", "campaigns-participant", "campaigns-event",
    "events-program", "events-calendar", "events-map", "events-map-data", "events-feed-jsonld", "events-feed-ics",
    "events-region-feed-ics", "events-region-feed-jsonld", "events-detail", "events-detail-ics", "events-projects",
    "events-project", "events-editions", "events-edition",
    "kits-index", "kits-resources",
})
# /metrics answers only these addresses or networks (the peer's address: scrape the web process directly, not
# through the public proxy). Loopback by default.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
PROMETHEUS_EXPORT_MIGRATIONS = False
# Scraped over plain HTTP on the private side; the probes never reach the redirect (they answer first).
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]

# Only for the production profile on a machine with no TLS in front (`make serve` here, the load test): cookies
# marked Secure would never come back over plain http://127.0.0.1. A real installation leaves this alone.
if PRODUCTION and not env_bool("SECURE_COOKIES", True):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False

# A database or cache that does not answer fails a request (and /readyz) in seconds instead of hanging a worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 2, "socket_timeout": 2}

# Two-factor sign-in (django-allauth MFA: authenticator app and recovery codes; crowdsci/accounts/mfa.py). Staff and
# coordinators find it in the Staff menu; with MFA_REQUIRED_FOR_STAFF (default on in production) network staff and
# superusers must set it up before anything else, the admin included; coordinators may.
INSTALLED_APPS += ["allauth.mfa"]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = NETWORK_SHORT_NAME
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", PRODUCTION)
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1, "crowdsci.accounts.mfa.StaffMFAMiddleware"
)

# `manage.py backup` (`make backup`) writes here unless told otherwise.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# Logs: one line per request and per task, each with its request id (crowdsci.core.logs); JSON lines in production
# (LOG_FORMAT=json|plain overrides), plain text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "crowdsci.core.logs.RequestIdFilter"},
        "warnings_only": {"()": "crowdsci.core.logs.WarningsOnlyFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "crowdsci.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Our middleware writes the one line per request; Django's own would be a second one for errors.
        "django.request": {"level": "ERROR"},
        # crowdsci.task writes the one line per task; django-tasks' own lines stay for failures (with traceback).
        # A filter, not a level: db_worker sets this logger's level from its --verbosity.
        "django_tasks": {"filters": ["warnings_only"]},
    },
}


# --- Front door (issue 14) -------------------------------------------------------------------------------------------
# Development sends email in the request (after commit) instead of through the task worker, so that sign-up works
# end to end under `make run` alone: the verification email is printed on the console. Set it to false to try the
# worker (`make worker`); production and tests never send immediately unless told to.
EMAIL_SEND_IMMEDIATELY = env_bool("EMAIL_SEND_IMMEDIATELY", PROFILE == "development")
