"""Minping settings: one module, every deployment difference read from the environment.

Production is `DEBUG=0` with `SECRET_KEY`, `ALLOWED_HOSTS`, `SITE_URL` and `DATABASE_URL`
(PostgreSQL) set; `REDIS_URL` gives the shared cache that rate limits need across app servers.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-set-SECRET_KEY-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set to a private value when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
# The absolute base that QR codes and printed slips encode; keep it short for low QR versions.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "surveys",
    "evaluations",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.GZipMiddleware",  # not for audio (see there)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "evaluations.org.context_processors.staff_roles",
            ],
        },
    },
]

# SQLite by default so one command runs the project; WAL, a busy timeout and IMMEDIATE
# transactions keep concurrent residents from ever seeing "database is locked".
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        # secure_delete: a row's old bytes are zeroed when it changes, so an earlier version of
        # a row (a ballot box's receipt set while people vote, say) never lingers in a page.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA secure_delete=ON;",
    }
    # A file, not memory, for the test database: concurrency tests need WAL across threads.
    # One file per process, so parallel test runs never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
elif env_bool("DB_POOL", default=False):
    # psycopg 3's own pool, for production app servers (CONN_MAX_AGE must then be 0).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 2),
        "max_size": env_int("DB_POOL_MAX", 10),
    }
# A streaming read replica of the primary: report reads go there (config/routers.py).
_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if _REPLICA_URL:
    _replica = dj_database_url.parse(
        _REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    if _replica["ENGINE"] == DATABASES["default"]["ENGINE"]:
        _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))  # the same pool
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Lock an account from one address only: five wrong passwords from elsewhere never lock out
# its owner, and the address is the client's behind our trusted proxy (surveys/network.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lockout page in the site's language (axes' own answer is an English sentence).
AXES_LOCKOUT_TEMPLATE = "locked.html"
AXES_CLIENT_IP_CALLABLE = "surveys.network.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: every asset from this origin, nothing from any other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Residents: the device cookie that makes "one response per device per link" enforceable.
DEVICE_COOKIE_NAME = "mp_dev"
DEVICE_COOKIE_AGE = 10 * 365 * 24 * 3600
# The client address behind our own proxies (surveys/network.py): the request header the trusted
# proxy writes (a META key such as HTTP_X_FORWARDED_FOR; empty: no proxy, use REMOTE_ADDR) and how
# many proxies of ours stand in front of the app servers.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")
# How many processes serve requests: app servers times workers per server (gunicorn reads
# WEB_CONCURRENCY too). Rate limits need a cache they all share (check surveys.E014).
APP_SERVERS = env_int("APP_SERVERS", 1)
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", 1)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
# Key of the hashes of IP addresses, browser strings and device cookies (never stored in clear).
# Its own secret, required with DEBUG=0 and never SECRET_KEY: whoever holds the session key
# cannot also re-identify residents, and rotating one does not re-key the other (issue 14 §11).
_DEV_IP_KEY = "dev-only-ip-hash-key-set-IP_HASH_SALT-in-production"
IP_HASH_SALT = env_str("IP_HASH_SALT", _DEV_IP_KEY if DEBUG else None)
if not DEBUG and IP_HASH_SALT in (SECRET_KEY, _DEV_IP_KEY):
    raise ImproperlyConfigured("IP_HASH_SALT must be its own private value, not SECRET_KEY.")
# How long a resident's follow-up contact is kept before deletion (个人信息保护法 art. 47).
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 180)
# A case waiting to be accepted counts against a cadre's 受理率 after this many days (issue 12).
CASE_GRACE_DAYS = env_int("CASE_GRACE_DAYS", 7)
# An assessment run without progress for this long is marked failed (its worker died).
ASSESSMENT_STALE_MINUTES = env_int("ASSESSMENT_STALE_MINUTES", 30)
# Reminders (issue 17 §4) always reach the in-app inbox; they are also mailed by the task worker
# when EMAIL_HOST names a mail server. Without it nothing is mailed and nothing tries to.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
REMINDER_MAIL = bool(EMAIL_HOST)
if not REMINDER_MAIL:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Our own date formats beside Django's (config/formats/): months never zero-padded in Chinese.
FORMAT_MODULE_PATH = ["config.formats"]
# A refused form (most often a browser that keeps no cookies) gets a page that explains, in Chinese.
CSRF_FAILURE_VIEW = "surveys.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
