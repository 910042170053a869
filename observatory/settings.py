"""Settings, read from the environment; the defaults give a working local site on SQLite.

Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see .env.example);
``manage.py check --deploy`` then passes.
"""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

# A dev-only default keeps management commands working anywhere; it can never serve production:
# `check --deploy` reports it as an error (observatory.E001) and the WSGI/ASGI entry points refuse it
# when DEBUG is off.
DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "csp",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so that its redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cases.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cases.sessions.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The data's licence as a Link header on every API read and export (cases.releases.licence).
    "cases.releases.licence.LicenceLinkMiddleware",
    "cases.mail.RequestRootMiddleware",
]

ROOT_URLCONF = "observatory.urls"
WSGI_APPLICATION = "observatory.wsgi.application"
ASGI_APPLICATION = "observatory.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
if "DATABASE_URL" not in os.environ:
    # The default SQLite file lives in var/, which a fresh clone does not have (it is git-ignored).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters (Django's default is 8).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cases" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files in development and tests, where no
        # collectstatic has run.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
    # Published releases of the data (cases.releases): written once, never changed. A local folder by
    # default; any Django storage (S3…) can take its place.
    "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("RELEASES_DIR", str(VAR_DIR / "releases"))},
    },
}

# Django 6 default, adopted now: a scheme-less URL typed in a form means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:contrib_dashboard"
LOGOUT_REDIRECT_URL = "cases:home"
# Absolute links in e-mails sent outside a request (moderation notices).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
# Idle timeout (ASVS 3.3.2, level 2: 30 minutes): the session cookie lives SESSION_IDLE_MINUTES and every
# request renews it, so an unattended browser is logged out while an official at work is not. Officials'
# drafts are saved on the server, so a timeout costs a log-in, not the text. Sessions that are empty
# (anonymous visitors) are never written, so the per-request save only touches logged-in users.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
# And an absolute bound (ASVS 3.3.2 level 2: 12 hours), whatever the activity (cases/sessions.py).
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
# Days an API key of the write API lives (cases.contributions.tokens); a password change revokes it sooner.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))

# A pseudonymised case is published only when at least this many real collectivities match what it
# shows (cases.disclosure, docs/disclosure.md).
DISCLOSURE_MIN_K = int(os.environ.get("DISCLOSURE_MIN_K", "5"))

# Rate limits and API throttles are counted in the default cache. Several gunicorn workers must share
# it, so production points REDIS_URL at Redis (`check --deploy` warns otherwise); the in-process cache
# is for development and tests.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The client's address. Behind N reverse proxies that each append to X-Forwarded-For, the client is the
# N-th address from the right; anything to its left was written by the client and is not trusted.
# NUM_PROXIES=0 (no proxy) uses REMOTE_ADDR and ignores the header. Used by DRF's throttles and, through
# cases.client_ip.client_ip, by the rate limits; `check --deploy` flags BEHIND_PROXY without it.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "cases.client_ip.client_ip"

# Rate limits (django-ratelimit syntax: "5/h", "10/5m") on sign-up and password reset (per address),
# log-in (per address) and submissions (per account). Counted in the default cache.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMITS = {
    "signup": os.environ.get("RATELIMIT_SIGNUP", "5/h"),
    "login": os.environ.get("RATELIMIT_LOGIN", "10/5m"),
    # Per account (the username typed), whatever the address: a botnet cannot try many passwords on one
    # account; the cost is that an attacker can hold one account's log-in for the window, not longer.
    "login_account": os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "20/h"),
    "submission": os.environ.get("RATELIMIT_SUBMISSION", "30/h"),
}

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Reading needs no credentials; a browser session is recognised (for the "user" throttle). No Basic auth:
    # passwords are not to travel with every request. Token auth comes with the write endpoints.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Reading needs no key; throttles count per IP (anonymous) or per account.
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.throttling.AnonThrottle", "cases.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
    },
    # DRF's default (None) would count per X-Forwarded-For as the client wrote it: a forged header, a new
    # counter. The same trusted-proxy count as the rate limits.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.api.exceptions.exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
}
API_MAX_PAGE_SIZE = 200

SPECTACULAR_SETTINGS = {
    "TITLE": "Observatoire de la co-création numérique locale — API",
    # The long Markdown guide (CSV columns, pseudonymisation, errors) is set by cases.api.docs.describe_api.
    "VERSION": "1.0.0",
    # The data's licence (cases.releases.licence) and who answers for it.
    "LICENSE": {"name": "Licence Ouverte 2.0 (Etalab)",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
    "CONTACT": {"name": "Observatoire de la co-création numérique locale",
                "email": os.environ.get("DATA_CONTACT_EMAIL",
                                        os.environ.get("DEFAULT_FROM_EMAIL", "observatoire@localhost")),
                "url": os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/") + "/donnees/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # One named enum per controlled vocabulary, whatever field uses it.
    "ENUM_NAME_OVERRIDES": {
        f"{name}Enum": f"cases.vocabularies.{name}"
        for name in ("CoproductionMode", "ToolType", "ToolStatus", "Theme", "ManagementMode", "Carrier", "Scope",
                     "TerritoryKind", "EpciType", "Helix", "FactorGroup", "Factor", "Assessment", "EventKind",
                     "SourceKind", "CollectionMethod", "Disclosure", "PopulationDisclosure")
    } | {
        "PopulationBandEnum": "cases.catalogue.filters.POPULATION_BAND_CHOICES",
        "DatePrecisionEnum": "cases.models.Event.Precision",
        # The bands a reader sees: the fine ones plus the widened ones of disclosure control (cases.disclosure).
        "PublicPopulationBandEnum": "cases.vocabularies.PUBLIC_BAND_CHOICES",
    },
    # Swagger UI and Redoc from drf-spectacular-sidecar: served from our static files, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["cases.api.docs.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cases.api.docs.describe_api",
        "cases.api.docs.refine_parameters",
    ],
}

# Open data: any origin may read the API; nothing else is opened to other origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After", "Content-Disposition", "Content-Length", "Link", "RateLimit-Limit",
                       "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy")
# Conditional requests from a browser client: its preflight asks for If-None-Match.
CORS_ALLOW_HEADERS = (*default_headers, "if-none-match", "if-modified-since")
# Full exports are built whole (GDAL needs a Content-Length) and kept per data version: cases/api/downloads.py.
EXPORT_CACHE_SECONDS = int(os.environ.get("EXPORT_CACHE_SECONDS", "3600"))
EXPORT_CACHE_MAX_BYTES = int(os.environ.get("EXPORT_CACHE_MAX_BYTES", str(50_000_000)))

# Security: safe defaults that `check --deploy` verifies; HTTPS-only options are on unless DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# The health check comes from the orchestrator on the host, over plain HTTP: not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
# A refused CSRF check gets the site's 403 page (in the visitor's language), not Django's English one.
CSRF_FAILURE_VIEW = "cases.errors.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# The console backend prints e-mails (activation links included) to the log: development only. Production
# defaults to SMTP, and `check --deploy` fails on a console, in-memory or dummy backend (observatory.E003).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "observatoire@localhost")
# Where vulnerabilities are reported (/.well-known/security.txt): a mailto: or https: URI.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT") or f"mailto:{DEFAULT_FROM_EMAIL}"
# For django.core.mail.backends.filebased.EmailBackend (scripts/prod_smoke.sh reads the activation link there).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Logs go to stdout; in production one JSON object a line (LOG_FORMAT=json, the default when DEBUG is off),
# which log collectors parse without a regex. gunicorn.conf.py gives gunicorn's own logs the same shape.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s", "rename_fields": {"levelname": "level"}},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and frames from this site only, no inline
# script anywhere (the templates load static files; data for scripts travels in <script type=application/json>,
# which never runs). Images may also come from the optional tile server. Redoc alone is relaxed, in its view
# (cases/api/urls.py): it injects its own <style> elements. `check --deploy` fails if this is weakened.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
_TILE_ORIGIN = "/".join(MAP_TILE_URL.replace("{s}", "*").split("/")[:3]) if MAP_TILE_URL.startswith("https://") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The relaxation Redoc needs: styled-components writes <style> tags, its search runs in a blob: worker, and
# its sidebar shows the Redocly logo from Redocly's CDN (hard-coded in the bundle; that page only).
CSP_REDOC = {"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"], "img-src": ["https://cdn.redoc.ly"]}
# Permissions-Policy (django-permissions-policy): none of these powerful features is used, by any origin.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
    "screen-wake-lock", "xr-spatial-tracking")}

# Where the data of the source study lives (a committed file, loaded by `load_study_cases`).
STUDY_CASES_FILE = BASE_DIR / "cases" / "data" / "study_cases.json"

# Optional tile layer under the map (e.g. "https://tile.example.org/{z}/{x}/{y}.png"). Empty by default:
# the map then draws département outlines only, and needs no tile server (tile servers may be
# unreachable, and openstreetmap.org forbids heavy use).
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
