"""One settings module; safe development defaults, production values from the environment.

Environment: DEBUG, SECRET_KEY, DATABASE_URL (default SQLite in ./var), ALLOWED_HOSTS, HTTPS,
SECURE_COOKIES, SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, BEHIND_PROXY, TRUSTED_PROXY_COUNT,
EMAIL_URL (default: console), EMAIL_TIMEOUT (seconds, default 20), DEFAULT_FROM_EMAIL,
CCM_ENFORCE_MFA, CCM_DATA_DIR, CCM_FIRST_ANNUAL_REPORT, CCM_DUE_SOON_DAYS, CCM_REPORT_FILE_MAX_MB,
CONN_MAX_AGE, CCM_PAGE_CACHE_SECONDS, CCM_PAGE_CACHE_ENTRIES, CCM_SESSION_IDLE_STAFF_MINUTES,
CCM_SESSION_IDLE_FOCAL_POINT_MINUTES, CCM_SESSION_MAX_HOURS, CCM_MFA_KEY.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()
# Writable files (SQLite database, collected static files, uploads): ./var of the checkout.
_CHECKOUT = BASE_DIR.parent.parent
DATA_DIR = Path(
    env.str(
        "CCM_DATA_DIR",
        default=str((_CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()) / "var"),
    )
)

DEBUG = env.bool("DEBUG", default=False)
# No public default (issue #7): the key comes from the environment or, for local use, from
# var/secret-key, which `make run` and `make test` write once with a random value. With DEBUG off
# and neither, the application refuses to start.
_LOCAL_SECRET_KEY = DATA_DIR / "secret-key"
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    _LOCAL_SECRET_KEY.read_text(encoding="utf-8").strip() if _LOCAL_SECRET_KEY.is_file() else ""
)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production), or run `make run`, "
            f"which writes a random one to {_LOCAL_SECRET_KEY} for local use."
        )
    SECRET_KEY = "debug-only-insecure-key"  # noqa: S105  (DEBUG on: never a production server)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_filters",
    "django_htmx",
    "template_partials",
    # In the order of their dependencies (README, "Layout"): each app imports only those above it.
    "ccm.core",
    "ccm.registry",
    "ccm.accounts",
    "ccm.reports",
    "ccm.compliance",
    "ccm.meetings",
    "ccm.participation",
    "ccm.finance",
    "ccm.outreach",
]

MIDDLEWARE = [
    # HTTPS redirect and security headers first; static files answered at once.
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for people not signed in, from the cache while the data are unchanged: what
    # it keeps and serves is the page as the middleware below shaped it (issue #16).
    "ccm.core.middleware.PublicPageCacheMiddleware",
    # Compresses what every other middleware produced (public pages only), after
    # ConditionalGet has answered 304 where the browser's copy is current.
    "ccm.core.middleware.PublicPagesCompressedMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Signs out a session idle too long or too old, before anything reads the person's data.
    "ccm.accounts.middleware.SessionTimeoutMiddleware",
    # Marks the browser someone has just signed in from as theirs (sign-in throttling).
    "ccm.accounts.middleware.KnownBrowserMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ccm.accounts.middleware.RequireTwoFactorMiddleware",
    "ccm.core.middleware.ContentSecurityPolicyMiddleware",
    "ccm.core.middleware.PrivatePagesNotCachedMiddleware",
]

ROOT_URLCONF = "ccm.urls"
WSGI_APPLICATION = "ccm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ccm.core.context_processors.site",
                "ccm.core.context_processors.as_of",
            ],
        },
    }
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'ccm.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE): two writes
            # that race wait for each other and the second sees the first's work, so it gets
            # the same clean refusal as on PostgreSQL, never "database is locked" (issue #32).
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for the lock before giving up.
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
# Connections kept open between requests (seconds), checked before reuse: a page served from the
# cache costs one small query, not a new connection (issue #16).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail login, invitation only (no public sign-up), TOTP second factor.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ccm.accounts.adapters.AccountAdapter"
MFA_ADAPTER = "ccm.accounts.adapters.MFAAdapter"
# The invitation is a password-reset link sent to the contact's address: setting the password
# proves the address (signals.py marks it verified) and signs the person in, straight on to the
# authenticator set-up (issue #7).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CCM] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CCM ISU"
# Two-factor secrets are stored encrypted with a key derived from this (any long random string),
# or from SECRET_KEY when unset: set it before rotating SECRET_KEY (ccm.accounts.mfa_secrets).
CCM_MFA_KEY = env.str("CCM_MFA_KEY", default="")
# Rate limits and used TOTP codes live in the cache: a shared one (the database), not each
# process's memory, or every gunicorn worker would count on its own and accept a code once more
# (issue #7). The table is made by a migration (core). Sign-in attempts: 30 a minute per IP;
# wrong passwords and codes: 10 a minute per IP; wrong two-factor codes: 5 in 5 minutes per
# account ("key"). Wrong passwords per account are not a lock but a growing wait that the owner
# gets past (ccm.accounts.throttle, issue #32).
ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/300s/key"}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ccm_cache",
    },
    # Public pages (ccm.core.pagecache): each process keeps its own copies, kept under the data
    # revision that every server reads from the database, so no copy outlives a write.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ccm-pages",
        # Bounds how long a page could outlive a write the revision missed (one made outside
        # the application, or a process killed between its commit and the revision's update).
        "TIMEOUT": env.int("CCM_PAGE_CACHE_SECONDS", default=300),
        # Up to about 200 KB each (a page sent uncompressed): about 60 MB per process at most.
        "OPTIONS": {"MAX_ENTRIES": env.int("CCM_PAGE_CACHE_ENTRIES", default=300)},
    },
}
# Sessions (issue #32, ASVS 3.3.2): signed out after this long without activity (focal points
# work on a report in long sittings; staff and the Presidency read every State's records), and
# after CCM_SESSION_MAX_HOURS whatever the activity; the cookie lives no longer either.
CCM_SESSION_IDLE_STAFF_MINUTES = env.int("CCM_SESSION_IDLE_STAFF_MINUTES", default=30)
CCM_SESSION_IDLE_FOCAL_POINT_MINUTES = env.int("CCM_SESSION_IDLE_FOCAL_POINT_MINUTES", default=120)
CCM_SESSION_MAX_HOURS = env.int("CCM_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = CCM_SESSION_MAX_HOURS * 3600
LOGIN_REDIRECT_URL = "my:home"
LOGIN_URL = "account_login"
# Two-factor authentication is required for ISU staff and focal points (issue #2).
CCM_ENFORCE_MFA = env.bool("CCM_ENFORCE_MFA", default=True)
# Art. 7(2) is silent on a new State's first annual report: see compliance.rules.FirstAnnualRule
# ("initial_due_before_30_april", the 2012 reading in shared/domain/reporting.md, or
# "first_full_year_in_force").
CCM_FIRST_ANNUAL_REPORT = env.str("CCM_FIRST_ANNUAL_REPORT", default="initial_due_before_30_april")
# A deadline this many days ahead is "due": reminders go out, the dashboard lists it.
CCM_DUE_SOON_DAYS = env.int("CCM_DUE_SOON_DAYS", default=60)
CCM_REPORT_FILE_MAX_MB = env.int("CCM_REPORT_FILE_MAX_MB", default=20)
# A register to import: at most this many rows and megabytes (an XLSX counted unpacked).
CCM_IMPORT_MAX_ROWS = env.int("CCM_IMPORT_MAX_ROWS", default=5000)
CCM_IMPORT_MAX_MB = env.int("CCM_IMPORT_MAX_MB", default=50)
# Pages and commands answer for dates from the Convention's adoption (30 May 2008) to the end of
# the year this many years ahead; anything later is refused (400, exit 2), not computed.
CCM_AS_OF_MAX_YEARS_AHEAD = env.int("CCM_AS_OF_MAX_YEARS_AHEAD", default=5)
# Finance (issue #13): invoices are due this many days after issue; reminders of an unpaid
# invoice go this many days after its due date; the UN checks a meeting's cash this many days
# before it opens (go/no-go). Bank details and the ISU's address are printed on every invoice.
CCM_INVOICE_DUE_DAYS = env.int("CCM_INVOICE_DUE_DAYS", default=30)
CCM_INVOICE_FIRST_REMINDER_DAYS = env.int("CCM_INVOICE_FIRST_REMINDER_DAYS", default=30)
CCM_INVOICE_SECOND_REMINDER_DAYS = env.int("CCM_INVOICE_SECOND_REMINDER_DAYS", default=60)
CCM_GO_NO_GO_DAYS = env.int("CCM_GO_NO_GO_DAYS", default=90)
# Invoices issued per request on the assessment page (the page goes on by itself).
CCM_INVOICE_BATCH_SIZE = env.int("CCM_INVOICE_BATCH_SIZE", default=20)
CCM_ISU_ADDRESS = env.str(
    "CCM_ISU_ADDRESS",
    default="Implementation Support Unit, Convention on Cluster Munitions\nGeneva, Switzerland",
).replace("\\n", "\n")
CCM_BANK_DETAILS = {
    "CHF": env.str("CCM_BANK_DETAILS_CHF", default="").replace("\\n", "\n"),
    "USD": env.str("CCM_BANK_DETAILS_USD", default="").replace("\\n", "\n"),
}
# Proposed only: staff set the letterhead, bank details, minimum contribution and write-off
# limit on the finance settings page at first use (issue #25); these fill its form until then.
CCM_WRITE_OFF_LIMIT = {
    "CHF": env.str("CCM_WRITE_OFF_LIMIT_CHF", default="20.00"),
    "USD": env.str("CCM_WRITE_OFF_LIMIT_USD", default="20.00"),
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
# Right-to-left and the other UN languages are added here once their catalogues exist:
# ("ar", "العربية"), ("ru", "Русский"), ("zh-hans", "中文").
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["ccm.formats"]  # long and short dates as each language writes them
USE_TZ = True
TIME_ZONE = "Europe/Zurich"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds the SMTP connection waits for the server: a slow server fails the send (retried from
# the outbox) instead of holding a run forever (issue: mail sent inside a transaction).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="isu@ccm.localhost")
# Where people write for help; shown on the error pages.
CCM_SUPPORT_EMAIL = env.str("CCM_SUPPORT_EMAIL", default=DEFAULT_FROM_EMAIL)

# HTTPS=true in production (README): redirect to HTTPS, HSTS, secure cookies. Each can be set
# on its own; all are off by default so that `make run` works on plain http://127.0.0.1.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The visitor's address, for the sign-in rate limits: behind the proxy every request comes from
# the proxy's address, and the limits (30 sign-ins a minute per address) would be shared by
# everyone; the last address of X-Forwarded-For (the one the proxy added) is the visitor's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy, in Django 6's setting format (ccm.core.middleware serves it until the
# move to Django 6, whose own middleware then reads the same setting). Pages carry no inline
# script; inline style attributes (badges, swatches) remain, hence 'unsafe-inline' for styles only.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


SITE_NAME = _("Convention on Cluster Munitions")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
CCM_BASE_URL = env.str("CCM_BASE_URL", default="http://127.0.0.1:8000")
