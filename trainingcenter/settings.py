"""Settings for the training center site.

Every deploy-time value is read once from the environment (see README.md). The
defaults are safe for development; production refuses to start without a secret key.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.contrib.messages import constants as message_constants

from trainingcenter import media_storage
from trainingcenter.static_headers import add_security_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest (or `manage.py test`) runs the production code paths with a throwaway key.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise SystemExit(
            "DJANGO_SECRET_KEY is not set: set it to a long random value "
            "(or set DJANGO_DEBUG=1 for development)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS is the production default; DJANGO_HTTPS=0 serves the production
# configuration over plain HTTP for local runs (and the test suite).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG and not TESTING)

INSTALLED_APPS = [
    # Before the admin: its translated-field widgets and admin classes.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "trainingcenter",
    "accounts",
    "careers",
    "programs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trainingcenter.middleware.SecurityHeadersMiddleware",
    # Before the page cache: a Spanish reader's first English URL goes to the /es/ page.
    "trainingcenter.languages.PreferredLanguageMiddleware",
    "trainingcenter.pagecache.AnonymousPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything that reads the body (sessions, CSRF, forms); after the middleware
    # that only sets headers, so the 413 page has the site's headers and CSP too.
    "trainingcenter.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language is its URL's: /es/... Spanish, no prefix English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "trainingcenter.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "trainingcenter.urls"
WSGI_APPLICATION = "trainingcenter.wsgi.application"

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
                "csp.context_processors.nonce",
                "trainingcenter.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (with Django's connection pool) by URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 8}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks a connection before handing it out: after a database restart, dead
    # connections are replaced instead of failing the next requests.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for a web server: readers never wait for the writer (WAL), a writer waits up
    # to 20 s for the lock instead of failing at once, and every transaction takes the
    # write lock when it begins (IMMEDIATE), so two transactions never deadlock upgrading
    # a read lock. synchronous=NORMAL is durable in WAL mode except on power loss.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. "default" holds the rate limits (allauth's limiter, see
# ACCOUNT_RATE_LIMITS) and small shared values: it must never evict a live entry and its
# add() must be atomic across processes, so it is Redis when REDIS_URL is set and the
# database otherwise (the table is created by `migrate`: trainingcenter/migrations).
# "pages" holds the anonymous page cache (trainingcenter/pagecache.py): bounded, and
# apart from the rate limits so that no amount of visiting can push a counter out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "tc_cache"


def production_caches(*, redis_url, cache_dir):
    """CACHES for a deployment: with Redis, or with one node's database and disk."""
    if redis_url:
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        return {
            "default": {**redis, "KEY_PREFIX": "tc"},
            "pages": {**redis, "KEY_PREFIX": "tc-pages"},
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django culls only past MAX_ENTRIES (expired rows first): far above any real
            # number of live entries, so a live rate-limit entry is never culled.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        # One node without Redis: a file cache shared by all worker processes, so
        # page-cache invalidation holds across workers.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": cache_dir,
            # 2,000 pages, each stored as rendered, in Brotli and in gzip.
            "OPTIONS": {"MAX_ENTRIES": 6000},
        },
    }


if TESTING and not REDIS_URL:
    # Process memory; tests/security/test_rate_limit_storage.py runs the real thing.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
else:
    CACHES = production_caches(
        redis_url=REDIS_URL,
        cache_dir=os.environ.get("DJANGO_CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
    )
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Anonymous public pages are cached whole and invalidated on every content change.
PAGE_CACHE_SECONDS = int(
    os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "0" if DEBUG or TESTING else "600")
)

AUTH_USER_MODEL = "accounts.User"
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
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/portal/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail login, mandatory verification, rate limits, MFA.
SITE_ID = 1
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "signup": "20/m/ip",
    # The site's own limits share allauth's limiter (allauth.core.ratelimit.consume).
    # Requests for information: generous for people (a family sharing an address or a
    # school computer), tight enough to stop a script; the key is the e-mail address.
    "request_info": "10/h/ip,3/h/key",
    # Invitation links, followed or submitted: guessing a token costs an attempt.
    "invitation": "30/10m/ip",
    # Portal uploads, per student (accounts.views): every file costs a worker a check and a
    # re-encode. "upload": evidence and CE proofs; "photo": profile photo replacements.
    "upload": "30/h/user",
    "photo": "5/h/user",
    # Applicants sending their application (accounts.apply_views); documents count as
    # "upload". Account creation on the way is allauth's "signup" above.
    "apply_submit": "10/h/user",
}
# Behind load balancers that append the visitor's address to X-Forwarded-For, the visitor
# is the Nth address from the right: rate limits then count per visitor, not per balancer.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT") or 0)
# Students are enrolled by staff, who send invitations: no open self-signup.
ACCOUNT_ALLOW_SIGNUP = env_bool("DJANGO_ALLOW_SIGNUP", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff who reach student records must have MFA: on in production, off in development.
STAFF_REQUIRE_MFA = env_bool("DJANGO_STAFF_REQUIRE_MFA", not DEBUG and not TESTING)
MFA_TOTP_ISSUER = "Trinity Career Institute"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# English (the default, URLs without a prefix) and Spanish (/es/...). The .po catalogs live
# in locale/ and are compiled by `manage.py compile_translations` (make install, deployment).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice (trainingcenter/languages.py), kept a year; read by no script.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# What staff write (programs, campuses, careers facts, guide, disclosures) has one column
# per language (<field>_en, <field>_es, registered in each app's translation.py); a
# Spanish page shows the English text wherever the Spanish column is still empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Slugs are built from the English title: URLs are the same in both languages.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
# Dates and numbers per language (programs/dates.py names the kinds of date).
FORMAT_MODULE_PATH = ["trainingcenter.formats"]
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

# Static files: Bootstrap's JavaScript is committed under static/vendor/bootstrap/ (version
# and license beside it); the stylesheets are built by `manage.py build_css` (make install
# runs it) from assets/ into CSS_BUNDLE_ROOT, which git ignores.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
CSS_BUNDLE_ROOT = BASE_DIR / "build" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "trainingcenter" / "static",
    CSS_BUNDLE_ROOT,
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
# Student evidence never lives under MEDIA_ROOT: it is served by a checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT") or BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "accounts.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several app nodes: DJANGO_MEDIA_STORAGE=s3 puts uploads in S3-compatible object storage
# (public bucket by URL, private files only through the portal's checked views).
STORAGES, MEDIA_ORIGINS = media_storage.configure(STORAGES, os.environ)
# Static files get the site's security headers too (WhiteNoise answers them directly).
WHITENOISE_ADD_HEADERS_FUNCTION = add_security_headers
# Request bodies (trainingcenter.request_limits): 12 MB on the URLs that take uploads
# (a 10 MB file plus the form around it), 1 MB everywhere else; the reverse proxy's
# limit matches (README). Larger bodies are answered 413 before they are read.
UPLOAD_REQUEST_MAX_BYTES = 12 * 1024 * 1024
REQUEST_BODY_MAX_BYTES = 1024 * 1024
# Form fields other than files: never more than a megabyte. Uploaded files up to 2.5 MB
# stay in memory, larger ones (up to the request limit) go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", "") or None
# E-mail is sent by a task worker (`manage.py db_worker`), never inside a request: the
# task is a row in the same database, written in the same transaction as the change it
# reports. DJANGO_TASKS_IMMEDIATE=1 runs tasks at once in the process instead (the default
# under DEBUG, so `make run` needs no worker, and in the test suite).
TASKS_IMMEDIATE = env_bool("DJANGO_TASKS_IMMEDIATE", DEBUG or TESTING)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Trinity Career Institute <admissions@trinitycareer.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. SecurityMiddleware sets nosniff, Referrer-Policy and COOP;
# trainingcenter.middleware adds Permissions-Policy.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# A refused form (expired session, cookies off) explains itself in the site's layout.
CSRF_FAILURE_VIEW = "trainingcenter.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
else:
    # Plain HTTP on purpose (local production-like runs): the HTTPS checks cannot pass.
    SILENCED_SYSTEM_CHECKS = [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logs: one JSON object per line on standard output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "trainingcenter.logging.JSONFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": sys.stdout, "formatter": "json"}
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # pypdf warns about every quirk of an uploaded PDF; the upload check answers for it.
        "pypdf": {"level": "ERROR"},
    },
}

SCHOOL_NAME = "Trinity Career Institute"
