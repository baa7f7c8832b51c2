"""Settings for hub_eu.

Everything comes from the environment with a safe default: nothing has to be set
to try the portal (SQLite, an embedded Celery broker, a readable mailbox), and
everything can be set to deploy it (see the README's "Settings" table).
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails and calendar files: by default the address `make run` serves (PORT).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_countries",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hub_eu.core",
    "accounts",
    "incubators",
    "needs",
    "permanences",
    "events",
    "surveys",
    "hackathons",
    "community",
    "calls",
    "landing",
    "edih",
    "journeys",
    "api",
    "cockpit",
    "notifications",
    "demo",
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
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "api.middleware.ApiCallLog",
]

ROOT_URLCONF = "hub_eu.urls"
WSGI_APPLICATION = "hub_eu.wsgi.application"

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
                "hub_eu.core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# PostgreSQL in production: DATABASE_URL=postgres://user:pass@host:5432/db?conn_max_age=60
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside one writer; IMMEDIATE takes the write lock when a
    # transaction starts, so two writers queue (up to the timeout) instead of one
    # failing with "database is locked" when it upgrades its lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
    # Tests use a file, not memory: the live server's threads then get connections of
    # their own, as real concurrent requests do.
    # One file per test run, so two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
# A connection kept between requests (conn_max_age) is checked before a request uses it:
# after PostgreSQL restarts, each process reconnects instead of failing one request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer fails a request after seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # One test database per test run, as on SQLite: two runs side by side on one server
    # (a developer's and CI's) do not drop each other's database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits live here: it must be shared by all workers) ---
REDIS_URL = env("REDIS_URL", default="")
# How long a connection to Redis, or a command, may take before Redis counts as down
# (cache and broker): a page then goes on without it instead of waiting.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            # While Redis is down, each process caches in its own memory (logged), so
            # pages and logins keep working and rate limits count per process.
            "BACKEND": "common.cache.RedisOrMemoryCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="hub_eu"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                # After a failure, how long a process leaves Redis alone before trying again.
                "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=10.0),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ---------------------------------------------------------------------
# Without Redis, Celery uses kombu's filesystem transport: a real worker and beat
# exchange messages through files under var/celery, and no server is needed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    _processed_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Before a publish, kombu reconnects a dead connection, sleeping 2 s then 4 s
        # between tries: a booking would wait about 6 s for a broker that is down. One try,
        # then the error; the outbox sends the message once the broker is back.
        "max_retries": 0,
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": REDIS_TIMEOUT,
    }
# A worker waits for the broker however long it is down (Celery gives up after 100 tries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "hub_eu.core.tasks.heartbeat", "schedule": 60.0},
    "dispatch-notifications": {
        "task": "notifications.tasks.dispatch_notifications",
        "schedule": 60.0,
    },
    "dispatch-webhooks": {"task": "api.tasks.dispatch_webhooks", "schedule": 60.0},
    "generate-slots": {
        "task": "permanences.tasks.generate_slots",
        "schedule": crontab(hour=2, minute=30),
    },
    "purge-personal-data": {
        "task": "accounts.tasks.purge_personal_data",
        "schedule": crontab(hour=3, minute=15),
    },
}
# Notifications: advisors get tomorrow's agenda from this hour, digests go out from that
# hour (daily for overdue needs, on Mondays for the week's permanences), local time.
NOTIFICATIONS_AGENDA_HOUR = env.int("NOTIFICATIONS_AGENDA_HOUR", default=17)
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=8)
# A message claimed by a worker that died is taken again after this many seconds.
NOTIFICATIONS_STALE_CLAIM_SECONDS = env.int("NOTIFICATIONS_STALE_CLAIM_SECONDS", default=600)
# How long one dispatcher run sends before leaving the rest to the next tick.
NOTIFICATIONS_DISPATCH_SECONDS = env.float("NOTIFICATIONS_DISPATCH_SECONDS", default=50.0)
# How many senders work through a backlog side by side (the dispatcher and its helpers):
# the worker processes that can be spared for email, across all workers.
NOTIFICATIONS_SENDERS = env.int("NOTIFICATIONS_SENDERS", default=2)
# How far ahead slots are materialised; the nightly task keeps the horizon rolling.
PERMANENCES_HORIZON_DAYS = env.int("PERMANENCES_HORIZON_DAYS", default=120)
# Only the race test's control run turns this off, to show the test catches a race.
PERMANENCES_LOCK_SLOTS = True

# --- Authentication ---------------------------------------------------------------
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
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_email": "1/m/user",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
}
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[hub.eu] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env(
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https"
)

# --- Email --------------------------------------------------------------------------
# By default every email is written to var/mail as an .eml file and can be read at
# /dev/mail/ (DEBUG only). Set EMAIL_URL=smtp://user:pass@host:587/?tls=True to send.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="hub.eu <no-reply@hub-eu.brussels>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "hub_eu.mail.MailboxBackend"
# An SMTP server that accepts the connection but never answers must not hold a worker:
# the send fails after this many seconds and the outbox retries it later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
MAILBOX_DIR = VAR_DIR / "mail"

# --- Languages and time ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("nl", _("Dutch")),
    ("en", _("English")),
]
# Our catalogue, then Django's own wording for the strings an installed app's catalogue
# (Django REST framework's) would otherwise change on the site's forms.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "hub_eu" / "locale_overrides"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "nl", "en")}
COUNTRIES_FIRST = ["BE"]

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_node = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _node / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _node / "bootstrap-icons" / "font"),
    ("vendor/htmx", _node / "htmx.org" / "dist"),
    ("vendor/chartjs", _node / "chart.js" / "dist"),
    ("vendor/jquery-ui", _node / "jquery-ui" / "dist"),
]
# The language tabs of translated fields in the admin (django-modeltranslation) load
# jQuery UI from Google's CDN by default: served from the npm package instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security (check --deploy is clean once DEBUG is off) ---------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    if env.bool("BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content-Security-Policy ------------------------------------------------------------
# Scripts and styles come from this site's static files only: no inline <script>, no on*=""
# handler, no style="" attribute or <style> block (a colour from the database is an SVG fill
# attribute, which CSP leaves alone). data: images are Bootstrap's and the admin's icons.
# tests/browser/ fail on any violation the browser reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
if DEBUG:
    # The demo mailbox shows an email's HTML in a sandboxed srcdoc frame, which would inherit
    # the page's policy and lose the inline styles emails need. Without DEBUG it answers 404.
    CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] = [
        f"/{code}/dev/mail/" for code, _name in LANGUAGES
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Error pages -------------------------------------------------------------------------
# A refused form (CSRF check) answers in the layout and the reader's language.
CSRF_FAILURE_VIEW = "hub_eu.core.errors.csrf_failure"

# --- Rate limits ----------------------------------------------------------------------------
# How many of each kind of send one signed-in person (user) and one address (ip) may make,
# in allauth's notation (common/ratelimit.py): "20/h/user,100/h/ip", periods s, m, h, d.
# Only accepted sends count; an empty value turns a limit off. The members of an incubator
# often share its address: the per-address limits leave room for them.
RATE_LIMITS = {
    # bookings, moved bookings and slots taken from an agency's offer
    "booking": env("RATE_LIMIT_BOOKING", default="20/h/user,100/h/ip"),
    "need": env("RATE_LIMIT_NEED", default="10/h/user,50/h/ip"),
    # an entrepreneur's messages to an agency about a need
    "message": env("RATE_LIMIT_MESSAGE", default="30/h/user,200/h/ip"),
    # a survey link needs no login: per address only
    "survey_answer": env("RATE_LIMIT_SURVEY_ANSWER", default="100/h/ip"),
    # requests someone must decide: joining a company, a membership of an incubator
    "request": env("RATE_LIMIT_REQUEST", default="10/h/user,50/h/ip"),
    # a visitor's message to a company of the community directory
    "company_contact": env("RATE_LIMIT_COMPANY_CONTACT", default="5/h/user,20/h/ip"),
    # saving or submitting an application to a call, an evaluator's scores
    "application": env("RATE_LIMIT_APPLICATION", default="60/h/user,200/h/ip"),
    # a landing plan's intake and its itinerary bookings, a test-before-invest request
    "landing": env("RATE_LIMIT_LANDING", default="20/h/user,100/h/ip"),
}
# --- The agencies' API (api/, /api/v1/) ---------------------------------------------------
# Agency tokens are issued in the admin; the public endpoints need none. Each token, and
# each address without one, has its own budget of calls (DRF's notation: 600/min, 10/s);
# over it the API answers 429 with Retry-After. An empty value turns a limit off.
API_RATE_TOKEN = env("API_RATE_TOKEN", default="600/min")
API_RATE_ANONYMOUS = env("API_RATE_ANONYMOUS", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AgencyTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenThrottle",
        "api.throttling.AnonymousThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": API_RATE_TOKEN or None,
        "anonymous": API_RATE_ANONYMOUS or None,
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hub.eu API",
    "DESCRIPTION": (
        "The Brussels permanences portal for the agencies' own systems: public data without "
        "a token; with an agency token, that agency's routed needs and bookings."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The webhooks' events and how to check a signature, added to the description.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.describe_webhooks",
    ],
}

# Webhooks (docs/webhooks.md): how long an agency's endpoint has to answer, how many
# attempts a delivery gets (after 1, 2, 4 … minutes, at most WEBHOOKS_MAX_DELAY_MINUTES
# apart), and after how many deliveries given up in a row an endpoint is stopped.
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=10)
WEBHOOKS_MAX_DELAY_MINUTES = env.int("WEBHOOKS_MAX_DELAY_MINUTES", default=120)
WEBHOOKS_DISABLE_AFTER = env.int("WEBHOOKS_DISABLE_AFTER", default=5)
WEBHOOKS_DISPATCH_SECONDS = env.float("WEBHOOKS_DISPATCH_SECONDS", default=50.0)
# Endpoints on http:// or on a private or local network (development only: in production
# the API must not be able to reach the portal's own network).
WEBHOOKS_ALLOW_LOCAL = env.bool("WEBHOOKS_ALLOW_LOCAL", default=DEBUG)

# Behind proxies that set X-Forwarded-For, how many: the per-address limits (these and
# allauth's) then count the client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Personal data ---------------------------------------------------------------------------
# How many days each kind of personal data is kept before the nightly task anonymises it
# (the row stays for the statistics, its text goes); 0 keeps it. Counted from a need's
# creation once no agency works on it, from a message, from the end of a booking, from a
# notice's creation (emails are never stored: a notice keeps only a few values).
PERSONAL_DATA_RETENTION_DAYS = {
    "needs": env.int("RETENTION_NEEDS_DAYS", default=3 * 365),
    "messages": env.int("RETENTION_MESSAGES_DAYS", default=3 * 365),
    "bookings": env.int("RETENTION_BOOKINGS_DAYS", default=3 * 365),
    "notifications": env.int("RETENTION_NOTIFICATIONS_DAYS", default=180),
    # what webhooks sent to the agencies (the bodies and the answers)
    "webhook_deliveries": env.int("RETENTION_WEBHOOK_DELIVERIES_DAYS", default=30),
    # a test-before-invest request's texts, counted from its outcome
    "test_requests": env.int("RETENTION_TEST_REQUESTS_DAYS", default=3 * 365),
    # a message to a directory company, from when it was sent
    "community_messages": env.int("RETENTION_COMMUNITY_MESSAGES_DAYS", default=365),
    # a landing plan's intake and steps, once the plan has not moved for this long
    "landing_plans": env.int("RETENTION_LANDING_PLANS_DAYS", default=3 * 365),
}
# Named in the privacy notice: the controller of the portal and its data protection officer.
PRIVACY_CONTROLLER = env("PRIVACY_CONTROLLER", default="hub.brussels")
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="dpo@hub.brussels")
# Where the accessibility statement asks people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = env(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@hub.brussels"
)

# --- Events ----------------------------------------------------------------------------------
# How long the first of an event's waiting list has to accept a freed place before it passes
# to the next (hours; never past the start of the event).
EVENTS_OFFER_HOURS = env.int("EVENTS_OFFER_HOURS", default=24)
# How long a guest's link to confirm their email address stays valid (hours).
EVENTS_GUEST_CONFIRM_HOURS = env.int("EVENTS_GUEST_CONFIRM_HOURS", default=48)
# How long before the first session the reminder goes to confirmed people (hours).
EVENTS_REMINDER_HOURS = env.int("EVENTS_REMINDER_HOURS", default=24)
# Registering for an event (signed-in people and guests; a guest is counted by address).
RATE_LIMITS["event_registration"] = env(
    "RATE_LIMIT_EVENT_REGISTRATION", default="20/h/user,100/h/ip"
)
# Days after an event its registrations' answers, and guests' names and addresses, are kept.
PERSONAL_DATA_RETENTION_DAYS["events"] = env.int("RETENTION_EVENTS_DAYS", default=365)

# --- Hackathons --------------------------------------------------------------------------------
# The largest file a team may attach to its submission (megabytes; files are kept privately
# under MEDIA_ROOT/private and downloaded only by the team, its jurors and the organisers).
HACKATHON_UPLOAD_MAX_BYTES = env.int("HACKATHON_UPLOAD_MAX_MB", default=20) * 1024 * 1024

# --- Experimentation calls ---------------------------------------------------------------------
# The largest file an applicant may attach to an application (megabytes; kept privately).
CALLS_UPLOAD_MAX_BYTES = env.int("CALLS_UPLOAD_MAX_MB", default=10) * 1024 * 1024
# Teams one person (and one address) may create: a script cannot fill the teams board.
RATE_LIMITS["hackathon_team"] = env("RATE_LIMIT_HACKATHON_TEAM", default="5/h/user,30/h/ip")
