"""Settings for cledss, read from environment variables with safe defaults for local use."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number") from None


# "development" (the default: a laptop, `make run`, the tests) or "production" (a hospital
# server behind its HTTPS proxy). Production refuses to start on an unsafe configuration.
ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DJANGO_DEBUG", "false")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false when DJANGO_ENV is production")

# The fallback key only ever signs the sessions of a local instance; production sets its own.
DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of 50 characters or more in production, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host names cledss is served under")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# A less guessable admin address keeps scanners away from the login page; it must end in "/".
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must look like 'admin/': no leading slash, one trailing slash")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "cledss.evidence",
    "cledss.web",
    "cledss.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that cannot be reached gets a 503 with the label and Retry-After, not a 500.
    "cledss.failures.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
    # Records the logged-in user on every history entry written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one client address lock that pair out for an hour, and
# five failures from one address, whatever the usernames, lock that address: a stranger cannot lock a
# curator out from the curator's own address, and guessing across usernames is slowed as much.
AXES_FAILURE_LIMIT = envint("CLEDSS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Behind the hospital's proxies every request comes from a proxy's address: the number of proxies says
# which address in X-Forwarded-For is the client's (cledss/proxies.py; docs/deployment.md, "Behind a proxy").
TRUSTED_PROXIES = envint("CLEDSS_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("CLEDSS_TRUSTED_PROXIES must be 0 (no proxy) or the number of proxies in front of cledss")
AXES_CLIENT_IP_CALLABLE = "cledss.proxies.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "cledss.urls"
WSGI_APPLICATION = "cledss.wsgi.application"

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
                "cledss.web.context_processors.label",
                "cledss.web.context_processors.languages",
            ],
        },
    },
]

# Connections are checked before they are reused, so a database restart costs no request
# (docs/deployment.md, "Database connections"). PostgreSQL connections come from a pool in each
# worker, at most CLEDSS_DB_POOL_SIZE of them, closed after a minute idle: servers x workers x pool
# size must stay below PostgreSQL's max_connections. A request waits at most CLEDSS_DB_POOL_TIMEOUT
# seconds for a connection, so a database that is down is told in seconds, not minutes.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections, not the threads
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("CLEDSS_DB_POOL_SIZE", 8),
        "max_idle": 60,
        "timeout": envint("CLEDSS_DB_POOL_TIMEOUT", 5),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every CDS Hooks call writes its token's id (the replay guard), from several gunicorn workers at once.
    # SQLite's default journal syncs the disk several times per write (8-20 ms measured, bench/cds_auth.py);
    # a write-ahead log syncs at checkpoints only, and readers never wait for the writer. A writer takes the
    # lock when its transaction begins, so two workers never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Kept pages, API answers and PDFs (cledss/answer_cache.py) stay in each worker's own memory, so no
# patient's features are written anywhere. The form can describe 448 patients per language, and
# each has a result page (about 65 KB) and an API answer (about 70 KB), so 2,000 entries keep both
# languages' pages and answers in at most about 140 MB per worker; fewer are culled and re-made.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cledss-default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cledss-pages",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": envint("CLEDSS_PAGE_CACHE_ENTRIES", 2000)},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Compiled catalogs are committed, so running the app never needs GNU gettext.
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language picked in the switcher, kept for a year; it outranks the browser's Accept-Language.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves collected files under hashed, compressed names that browsers may
    # cache for ever; development serves static/ as it is, so no collectstatic is needed.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security headers on every response; HTTPS-only settings in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "true")
    # A load balancer's probe speaks plain HTTP to the server itself; the answer holds nothing private.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    # The hospital's proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", "true")

# Everything the pages use is served by cledss itself: no inline code, no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws checkboxes and radios with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# CDS Hooks (docs/interop.md, "Registering an EHR"): the EHRs trusted to call the service, and the
# public address their tokens must name as audience. There is no open mode: a call without a token from a
# registered EHR is refused. CDS_CLIENTS is CLEDSS_CDS_CLIENTS's text (None when unset), read and checked
# by the interop app (cledss/interop/cds_hooks/clients.py, check cledss.interop.E001): production starts
# only when it is stated ("[]" registers no EHR at all); development trusts the local stand-in EHR of
# `make cds-token`, whose keys are made in CDS_DEVELOPMENT_KEYS, unless it says otherwise.
CDS_PUBLIC_URL = os.environ.get("CLEDSS_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
CDS_DEVELOPMENT_KEYS = BASE_DIR / ".cds-dev"
CDS_CLIENTS = os.environ.get("CLEDSS_CDS_CLIENTS")
if PRODUCTION and not CDS_PUBLIC_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "CLEDSS_PUBLIC_URL must be cledss's public https address (e.g. https://cledss.hospital.example): "
        "the CDS Hooks tokens name it as their audience"
    )

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Query strings carry the patient's features, so no log line may include them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "cledss.logging.DropQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
