"""Creekside HEP settings, read from the environment with safe defaults."""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG")
TESTING = "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First: its loaddata (validating, exercises/management/commands) wins over
    # modeltranslation's and Django's.
    "exercises",
    "modeltranslation",  # exercise text per language; before the admin, as it asks
    "creekside.apps.ClinicAdminConfig",  # django.contrib.admin with the two-factor site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "django_tasks_db",  # django.tasks in the database: `manage.py db_worker` runs them
    "programs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the browser's language for
    # signed-out pages; patient pages switch to the patient's (programs/views/access.py).
    "creekside.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # who changed what, from which address
    "creekside.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "creekside.middleware.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into a page
]

# Django's widget templates, done in Python (the same HTML): programs/rendering.py.
FORM_RENDERER = "programs.rendering.FastRenderer"

ROOT_URLCONF = "creekside.urls"
WSGI_APPLICATION = "creekside.wsgi.application"

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
                "django.template.context_processors.csp",
                "programs.page_cache.placeholders",  # after csrf and csp: it overrides them
                "creekside.clinic.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=env_int("CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters sent apart from the SQL, so psycopg prepares a statement run five times on a
    # connection and PostgreSQL plans it once (the session step's join took longer to plan
    # than to run). Off (0) behind a pooler in transaction mode that cannot keep them.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database (Django's default engine), so every app server sees them. The
# cache is per process unless CACHE_URL (or REDIS_URL) names a shared one: redis://host:6379/1
# (needs the redis package) or db://table (after `manage.py createcachetable`).
# docs/operations.md, "Several app servers over one PostgreSQL".
_cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": _cache_url.removeprefix("db://") or "creekside_cache",
        }
    }
elif _cache_url not in ("", "locmem://"):
    raise ImproperlyConfigured("CACHE_URL: use redis://host:port/db, db://table or locmem://.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {
        "NAME": "creekside.passwords.StaffMinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("STAFF_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "creekside.lockout.LockoutBackend",  # refuses a locked-out user and IP before any check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# Patients read the app in English or Spanish (docs/translations.md); the admin stays English.
LANGUAGES = [("en-gb", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The exercise library's patient text, per language (django-modeltranslation,
# exercises/translation.py): columns name_en, name_es, ... English is the default and the
# fallback for an empty Spanish field. "en-gb" is active as "en".
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Uploaded pictures: anything larger is refused before Pillow decodes it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EXERCISE_IMAGE_MAX_BYTES = env_int("EXERCISE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
EXERCISE_IMAGE_MAX_PIXELS = env_int("EXERCISE_IMAGE_MAX_PIXELS", 24_000_000)
EXERCISE_IMAGE_WEB_SIZE = env_int("EXERCISE_IMAGE_WEB_SIZE", 1200)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

if env_bool("EMAIL_SMTP", not DEBUG):
    # Sign-in links travel by email: STARTTLS by default in production (or EMAIL_USE_SSL=1
    # for implicit TLS on port 465).
    email_ssl = env_bool("EMAIL_USE_SSL")
    email_tls = env_bool("EMAIL_USE_TLS", not (DEBUG or email_ssl))
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 465 if email_ssl else 587 if email_tls else 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": email_tls,
                "use_ssl": email_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Creekside HEP <no-reply@localhost>")

# Background work (every email, the reminder scheduler): django.tasks stored in the database
# (django-tasks-db) and run by `manage.py db_worker` (docs/operations.md, "Background workers").
# Tests run each task at once, inside the request that enqueues it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Links in emails sent from the worker (no request to read the host from).
_site_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h != "*"), "")
SITE_URL = os.environ.get(
    "SITE_URL", f"https://{_site_host}" if _site_host and not DEBUG else "http://127.0.0.1:8000"
).rstrip("/")
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6)  # then the outbox row is marked failed

# Patients sign in from a link the clinic hands over; sessions lapse after inactivity.
SIGNIN_LINK_MAX_AGE_DAYS = env_int("SIGNIN_LINK_MAX_AGE_DAYS", 7)

# The clinic, as patients see it on stop screens and the sign-in card (a tap-to-call link).
CLINIC_NAME = os.environ.get("CLINIC_NAME", "Creekside Physical Therapy")
CLINIC_PHONE = os.environ.get("CLINIC_PHONE", "+1 555 0100")
# Needs attention: no session for this many running days (docs/clinical.md §9.5).
ATTENTION_ABSENT_DAYS = env_int("ATTENTION_ABSENT_DAYS", 4)
SIGNIN_LINK_EMAILS_PER_HOUR = env_int("SIGNIN_LINK_EMAILS_PER_HOUR", 3)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60 * 24 * 14)
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 300)  # see creekside/sessions.py
# The longest a patient page is served from the cache (programs/page_cache.py). Only with a
# cache every app server shares (CACHE_URL): a per-process cache would not hear of a write that
# another process served, so without one, pages are not kept (0) unless this says otherwise.
PATIENT_PAGE_SECONDS = env_int(
    "PATIENT_PAGE_SECONDS", 0 if _cache_url in ("", "locmem://") else 300
)
# Staff open patients' records: their sessions lapse after half an hour idle.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)

# Wrong passwords: after AXES_FAILURE_LIMIT tries for one account from one address, that pair
# waits AXES_COOLOFF_MINUTES (django-axes). Per pair, so nobody can lock a patient out from afar.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
# 0 minutes: locked until someone runs `manage.py axes_reset_username`.
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "creekside.lockout.lockout_response"
AXES_VERBOSE = False  # no start-up banner; failures are still logged (logger "axes")
AXES_SENSITIVE_PARAMETERS = []  # log who failed from where: the clinic needs it to follow up
# Behind the reverse proxy every request comes from 127.0.0.1; the proxy names the client.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_REAL_IP", "REMOTE_ADDR") if env_bool("BEHIND_HTTPS_PROXY") else ("REMOTE_ADDR",)
)

# Two-factor sign-in (TOTP, django-otp) for the admin: on in production, off in development.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not (DEBUG or TESTING))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Creekside HEP")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing in the app needs these browser features; see creekside/middleware.py.
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production runs behind a TLS reverse proxy (docs/operations.md): BEHIND_HTTPS_PROXY=1 trusts
# its X-Forwarded-Proto and turns on the HTTPS redirect and a year of HSTS by default.
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's plain-HTTP liveness probe
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if BEHIND_HTTPS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_HTTPS_PROXY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", BEHIND_HTTPS_PROXY)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The audit trail (django-auditlog): changes as JSON; entries outlive the users they name.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # restoring a backup or loading fixtures is not a change
