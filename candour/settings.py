"""Candour settings: everything that differs between machines comes from the environment.

Development (the default) needs nothing set: SQLite under var/, a secret key generated into
var/, e-mail to the console. Production is chosen with CANDOUR_ENV=production and then
requires SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and turns on every security setting
`manage.py check --deploy` asks for.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CANDOUR_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


CANDOUR_ENV = os.environ.get("CANDOUR_ENV", "development")
PRODUCTION = CANDOUR_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when CANDOUR_ENV=production.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment when CANDOUR_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "candour.accounts",
    "candour.organisations",
    "candour.audit",
    "candour.complaints",
    "candour.privacy",
    "candour.shell",
    "candour.demo",
    "candour.notifications",
    "candour.learning",
    "candour.investigations",
    "candour.feedback",
    "candour.reporting",
    "candour.synthetic",
    "candour.governance",
    "candour.people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "candour.audit.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "candour.shell.resilience.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "candour.shell.middleware.PathLanguageMiddleware",
    "candour.shell.ratelimit.PublicRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "candour.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "candour.urls"
WSGI_APPLICATION = "candour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "candour" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "candour.jinja2env.environment",
            "extensions": ["jinja2.ext.i18n"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The admin and the browsable API use Django's own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment when CANDOUR_ENV=production.")
DATABASE_URL = DATABASE_URL or f"sqlite:///{VAR_DIR / 'candour.sqlite3'}"
# Persistent connections in production (a new PostgreSQL connection costs a backend process start per request);
# DATABASE_CONN_MAX_AGE (seconds) overrides, e.g. for the benchmarks' gunicorn.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Memory per sort or bitmap for Candour's own sessions (PostgreSQL's default is 4 MB). Full-text search for a
    # common phrase makes a bitmap of ~100,000 complaints: at 4 MB it goes lossy and every row on those pages is
    # re-checked by recomputing its text vector (14.6 s at 1,000,000 complaints); at 16 MB it stays exact (0.24 s).
    # Startup options pass through PgBouncer's session mode only; with transaction pooling set it on the role.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={os.environ.get('DATABASE_WORK_MEM', '16MB')}"
    )
    # Parameters travel apart from the SQL text (psycopg 3 server-side binding), so psycopg does not splice every
    # value into the text on each query and PostgreSQL can reuse the plan of a statement a connection runs often
    # (psycopg prepares it after 5 runs). Intake over HTTP: ~20 % less CPU per complaint (docs/performance.md).
    # Set DATABASE_SERVER_SIDE_BINDING=0 behind a pooler that cannot keep prepared statements (PgBouncer transaction
    # pooling before 1.21).
    if os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") != "0":
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    # psycopg remembers how it turned a query's %s into $n only for queries with at most 50 parameters; a
    # complaint's INSERT has 59, so every intake re-parsed it (~8 % of a web worker's CPU per complaint). Django's
    # INSERTs are the same text each time: remember up to 100. Checked by core/tests/test_database_settings.py.
    import psycopg._queries

    psycopg._queries.MAX_CACHED_STATEMENT_PARAMS = max(psycopg._queries.MAX_CACHED_STATEMENT_PARAMS, 100)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Lockout after repeated failures (django-axes): 5 failures per username and address, 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "candour.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request's REMOTE_ADDR is the proxy's, which would make the lockout per username
# only. TRUSTED_PROXY_COUNT is the number of proxies in front of Candour that each append to X-Forwarded-For;
# when it is set, the client address is the one the outermost trusted proxy appended (counting from the right,
# so addresses a client puts in the header itself are never used). 0 (the default) uses REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "candour.accounts.client_address.client_address"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Cymraeg"))]
LOCALE_PATHS = [BASE_DIR / "candour" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = not PRODUCTION
# GOV.UK Frontend's compiled CSS asks for its fonts and images at /assets/...: serve that folder there too.
WHITENOISE_ROOT = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "candour" / "static",
]
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
# Uploaded evidence never lives under the web root: it is served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("CANDOUR_MEDIA_ROOT", VAR_DIR / "uploads"))

# E-mail: console in development unless EMAIL_BACKEND is set; GOV.UK Notify is used instead when its key is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Candour <no-reply@candour.localhost>")
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_BASE_URL = os.environ.get("GOVUK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
GOVUK_NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_EMAIL_TEMPLATE_ID", "")

# The public address used in links sent by e-mail.
CANDOUR_BASE_URL = os.environ.get("CANDOUR_BASE_URL", "http://127.0.0.1:8000")
# Where a refreshed copy of GOV.UK's bank holidays is kept (optional; the bundled data is used otherwise).
CANDOUR_BANK_HOLIDAYS_FILE = VAR_DIR / "bank-holidays.json"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
    # Throttles are set per view (public complaint intake: complaints.api.ComplaintIntakeThrottle).
    "DEFAULT_THROTTLE_RATES": {"complaint_intake": os.environ.get("CANDOUR_API_INTAKE_RATE", "30/min")},
    # Proxies in front of gunicorn: 0 counts REMOTE_ADDR; N counts the N-th address from the right of
    # X-Forwarded-For (never trust the whole header: a client could set it to escape the throttle).
    "NUM_PROXIES": int(os.environ.get("CANDOUR_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Candour API",
    "DESCRIPTION": "Complaint handling and learning for UK central government, after the PHSO Complaint Standards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used in several fields (a complaint's status, a transition's from/to status).
    "ENUM_NAME_OVERRIDES": {"ComplaintStatusEnum": "candour.complaints.states.Status"},
}

# Security headers. Content Security Policy: GOV.UK Frontend needs only our own scripts and styles;
# the one inline script in the template carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
# Sessions survive a database outage when the cache is shared by every process (Redis): cache first, database
# as well (ADR 0009). A per-process memory cache cannot be shared, so without Redis sessions are in the database.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "candour.shell.resilience"
LANGUAGE_COOKIE_NAME = "candour_language"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}
