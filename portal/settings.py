"""Settings for the informatization portal, read from the environment only.

Defaults are the safe production ones; a checkout's `.env` (written by `make`) switches on
development mode. Every variable is listed in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

# Marks labels for the English catalog; they stay Chinese here and are translated where they are shown.
from django.utils.translation import gettext_noop

from portal import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# development | test | production. Demo data and dev conveniences exist only outside production.
PORTAL_ENV = env.str("PORTAL_ENV", default="production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "portal",
    "projects",
    "resources",
    "security",
    "enforcement",
    "planning",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.QueryStringControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.guard.middleware.SessionLimitsMiddleware",
    "portal.guard.middleware.TwoFactorRequiredMiddleware",
    "portal.middleware.NoStoreMiddleware",
    "portal.middleware.AuditMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.ApiErrorMiddleware",
    # Last, as django-axes requires: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
                "portal.views.notifications.unread_notifications",
            ],
            "builtins": ["portal.templatetags.language_marks"],
        },
    },
]

# --- Services: one PostgreSQL, one Redis. Unset URLs mean the embedded servers under var/.
DATABASE_URL = env.str("DATABASE_URL", default="") or embedded.postgres_url()
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL that accepts no connections (restarting, unreachable) costs a request seconds, not a
# worker until gunicorn kills it (issue 8, Faults).
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
# Parameters bound by the server, and a statement a connection runs a fifth time kept prepared: PostgreSQL
# then plans it once instead of on every request. Planning was most of the database's CPU on the main pages
# (a dashboard's nine queries: 5 ms planning, 2 ms executing); prepared, the server spent 3-4 ms less a
# request (issue 15). A PgBouncer in transaction mode would need DATABASE_PREPARE_THRESHOLD unset ("").
# With them, a statement takes at most 65,535 parameters; the portal's backend tells Django so, and Django
# splits bulk inserts and deletions to fit (portal/db/postgresql).
DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
_PREPARE_THRESHOLD = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(_PREPARE_THRESHOLD) if _PREPARE_THRESHOLD else None
# Lets several test runs share one server (each names its own test database).
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_portal")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="") or embedded.redis_url()
# Redis calls sit on the request path (cache, throttling, enqueueing): a hung Redis must cost a
# request at most these seconds, never a worker for minutes (issue 8, Faults).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
# After a failed call the request path goes without Redis this long (portal.redis_guard).
REDIS_OUTAGE_BACKOFF_SECONDS = env.float("REDIS_OUTAGE_BACKOFF_SECONDS", default=5.0)
# Publishing a task (and the result backend) retries this often, 0.2 s apart, then gives up.
BROKER_PUBLISH_MAX_RETRIES = env.int("BROKER_PUBLISH_MAX_RETRIES", default=1)
# /healthz answers within this many seconds whatever hangs (a check still running is reported down).
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=1.5)
CACHES = {
    "default": {
        "BACKEND": "portal.cache.RedisCache",  # Django's, with one client per connection pool
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
    }
}

# --- Accounts, sessions, lockout
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Level-3 (MLPS 2.0) password policy: length, three character classes, no reuse of recent passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.guard.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.guard.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.guard.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
# Idle timeout: the session expires after this many seconds without a request. Activity renews it, written
# at most once a minute (portal.guard.middleware.SessionLimitsMiddleware), not on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute timeout: a session ends this long after sign-in however active it is.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# Second factor (django-otp TOTP, recovery codes): required of the roles in portal.guard.twofactor.
OTP_TOTP_ISSUER = "信息化促进门户"
# Security audit log (网络安全法 Art. 21: kept at least six months); the purge never goes below this.
SECURITY_AUDIT_RETENTION_DAYS = env.int("SECURITY_AUDIT_RETENTION_DAYS", default=365)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock an account after repeated failures (guessing one password) and a source address after
# repeated failures (spraying many accounts); either alone leaves one attack open.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The lockout page for browsers, problem+json (429) for /api/.
AXES_LOCKOUT_CALLABLE = "portal.views.accounts.lockout"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: the public has no object grants

# --- i18n: Chinese first, English available; Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
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
WHITENOISE_USE_FINDERS = DEBUG
# Attachments: hard limits checked before anything is stored.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security (production defaults; development relaxes them through .env)
# Trust X-Forwarded-Proto only when a proxy that sets it is configured: otherwise any client could claim HTTPS.
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and the compose health check probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline scripts anywhere (templates load static files only;
# tests/test_security_headers.py fails on an inline script). Inline style attributes stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Email: console in development, SMTP from the environment in production.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if PORTAL_ENV != "production"
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="信息化促进门户 <noreply@jxj.beijing.gov.cn>")

# --- REST API
REST_FRAMEWORK = {
    # Token first: an unauthenticated call then gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttling: the token view (password guessing) and anonymous callers by address, signed-in
    # callers by account. Counters live in Redis (the cache); rates from the environment.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonRateThrottle",
        "portal.api.throttling.UserRateThrottle",
        "portal.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "token": env.str("API_THROTTLE_TOKEN", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "信息化促进门户 API",
    "DESCRIPTION": "Beijing informatization portal API (《北京市信息化促进条例》).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Stable names for the core's shared choice sets (other apps add theirs here too).
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "portal.models.core.OrganizationKind",
        "OrganizationLevelEnum": "portal.models.core.Level",
        "DistrictEnum": "portal.models.core.District",
        "DeadlineStateEnum": "portal.models.deadlines.DeadlineState",
        "ProjectKindEnum": "projects.rules.ProjectKind",
        "QualificationLevelEnum": "projects.rules.QualificationLevel",
        "FindingKindEnum": "projects.models.contractors.FindingKind",
        "FilingStatusEnum": "projects.models.filings.FilingStatus",
        "ApplicationStatusEnum": "projects.models.network.ApplicationStatus",
        "MigrationStatusEnum": "projects.models.network.MigrationStatus",
        "PlanKindEnum": "planning.rules.PlanKind",
        "SystemStatusEnum": "security.models.SystemStatus",
        "SecurityLevelEnum": "security.rules.SecurityLevel",
        "HarmObjectEnum": "security.rules.HarmObject",
        "HarmDegreeEnum": "security.rules.HarmDegree",
        "ShareMethodEnum": "resources.rules.ShareMethod",
        "ResourceStatusEnum": "resources.models.catalog.ResourceStatus",
        "SharingStatusEnum": "resources.models.sharing.SharingStatus",
        "DisclosureApplicationStatusEnum": "resources.models.disclosure.ApplicationStatus",
        "CaseStatusEnum": "enforcement.models.CaseStatus",
        "SanctionKindEnum": "enforcement.rules.SanctionKind",
        "ReferralBodyEnum": "enforcement.rules.ReferralBody",
    },
}

# --- Celery (Asia/Shanghai); the beat schedule is reviewed here and tested.
# redis-py spells a Unix socket unix://, kombu spells it redis+socket://.
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1) if REDIS_URL.startswith("unix://") else REDIS_URL
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Bounded broker calls: publishing a task on the request path gives up within seconds when Redis hangs
# (the outbox keeps the notification; the periodic retry sends it), never blocking a request for minutes.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": BROKER_PUBLISH_MAX_RETRIES,
}
CELERY_TASK_PUBLISH_RETRY = True
_BROKER_RETRY_POLICY = {
    "max_retries": BROKER_PUBLISH_MAX_RETRIES,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _BROKER_RETRY_POLICY
# The result backend retries 20 times a second apart by default: sending a task that keeps its result
# (or reading one on a page) would hang a request for 20 s with Redis down.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _BROKER_RETRY_POLICY}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {"task": "portal.tasks.beat_heartbeat", "schedule": 30.0},
    "deadlines-sweep": {"task": "portal.tasks.deadlines_sweep", "schedule": 15 * 60.0},
    "notifications-retry-email": {"task": "portal.tasks.notifications_retry_email", "schedule": 10 * 60.0},
    "notifications-daily-digest": {
        "task": "portal.tasks.notifications_daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    "calendar-next-year-watch": {
        "task": "portal.tasks.calendar_next_year_watch",
        "schedule": crontab(hour=8, minute=5),
    },
    # Chapters 6-7: record violation findings from every chapter's detectors, nightly.
    "enforcement-findings-detect": {
        "task": "enforcement.tasks.findings_detect",
        "schedule": crontab(hour=2, minute=30),
    },
}
# /healthz calls the beat down when its last heartbeat is older than this.
BEAT_HEARTBEAT_MAX_AGE_SECONDS = env.int("BEAT_HEARTBEAT_MAX_AGE_SECONDS", default=180)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # pgserver logs every handle at INFO; only its problems matter here.
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# --- Deadlines and reminders (portal.services.deadlines). Add a kind by adding an entry here:
# code -> label, legal basis, reminders relative to the due date (negative = before, 0 = on the day,
# positive = after) counted in "reminder_unit" ("working" days, the default, or "calendar" days);
# "on_due" is "overdue" (default: an obligation not met in time) or "expire" (a period that
# simply runs out: marked 已届满, only the responsible organization is told). The DeadlineKind table is
# filled from these defaults when a kind is first used; the admin may then change its plan.
DEADLINE_KINDS = {
    "generic": {"label": gettext_noop("办理期限"), "legal_basis": "", "reminders": [-7, -1, 0, 1, 5]},
    "demo": {"label": gettext_noop("演示期限"), "legal_basis": "Art. 13", "reminders": [-7, -1, 0, 1, 5]},
    # Every working-day deadline depends on the holiday calendar; next year's must be loaded from the
    # State Council notice (usually published in November) before periods start running into it.
    "calendar_next_year": {
        "label": gettext_noop("导入下一年度工作日历"),
        "legal_basis": "民法典第二百零一条至第二百零三条",
        "reminders": [-5, -1, 0, 1, 5],
    },
    # Chapter 2 (projects).
    "project_review": {
        "label": gettext_noop("项目审查意见"),
        "legal_basis": "Art. 13",
        "reminders": [-5, -1, 0, 1, 5],
        # The field of the subject that keeps a copy of the due date: it follows when the deadline is
        # counted again on the official calendar (portal.services.deadlines.deadlines_recount).
        "subject_field": "review_due_date",
    },
    # Art. 15: the agency hears 60, 30 and 7 calendar days before the warranty ends; the end is no failure.
    "warranty_end": {
        "label": gettext_noop("保修期届满"),
        "legal_basis": "Art. 15",
        "reminders": [-60, -30, -7],
        "reminder_unit": "calendar",
        "on_due": "expire",
    },
    # Art. 11: the contractor hears before its certificate expires; expiry itself is no failure.
    "qualification_expiry": {
        "label": gettext_noop("资质证书到期"),
        "legal_basis": "Art. 11",
        "reminders": [-60, -30, -7, 0],
        "reminder_unit": "calendar",
        "on_due": "expire",
    },
    "network_migration": {
        "label": gettext_noop("专网迁入电子政务网络"),
        "legal_basis": "Art. 29",
        "reminders": [-60, -20, -5, 0, 5],
    },
    # Chapter 7 (enforcement): the clocks of the Administrative Penalty Law.
    "penalty_decision": {
        "label": gettext_noop("作出处罚决定"),
        "legal_basis": "行政处罚法第六十条",
        "reminders": [-20, -10, -5, -1, 0, 1],
    },
    # The party's right to ask for a hearing simply runs out: no failure of anyone.
    "penalty_hearing_request": {
        "label": gettext_noop("申请听证期限"),
        "legal_basis": "行政处罚法第六十四条第一项",
        "reminders": [-1],
        "on_due": "expire",
    },
    "penalty_payment": {
        "label": gettext_noop("缴纳罚款"),
        "legal_basis": "行政处罚法第六十七条",
        "reminders": [-5, -1, 0, 1],
        "reminder_unit": "calendar",
        "subject_field": "payment_due",
    },
    "penalty_publication": {
        "label": gettext_noop("公开处罚决定"),
        "legal_basis": "行政处罚法第四十八条",
        "reminders": [-2, -1, 0, 1],
    },
    "penalty_correction": {
        "label": gettext_noop("责令改正期限届满复查"),
        "legal_basis": "Art. 43",
        "reminders": [-5, -1, 0, 1],
    },
    # Art. 19 (disclosure): 政府信息公开条例 Arts. 30-33; the periods themselves are in resources/rules_disclosure.py.
    "disclosure_reply": {
        "label": gettext_noop("政府信息公开申请答复"),
        "legal_basis": "政府信息公开条例第三十三条",
        "reminders": [-5, -2, 0, 1],
        "subject_field": "reply_due_date",
    },
    "disclosure_reply_extended": {
        "label": gettext_noop("政府信息公开申请答复（延期后）"),
        "legal_basis": "政府信息公开条例第三十三条第二款",
        "reminders": [-5, -2, 0, 1],
        "subject_field": "reply_due_date",
    },
    "disclosure_correction_notice": {
        "label": gettext_noop("补正告知"),
        "legal_basis": "政府信息公开条例第三十条",
        "reminders": [-2, 0],
        "on_due": "expire",
        "subject_field": "correction_notice_by",
    },
    "disclosure_consultation": {
        "label": gettext_noop("第三方答复征求意见"),
        "legal_basis": "政府信息公开条例第三十二条",
        "reminders": [-3, 0],
        "on_due": "expire",
        "subject_field": "consultation_due_date",
    },
    "disclosure_annual_report": {
        "label": gettext_noop("政府信息公开工作年度报告"),
        "legal_basis": "政府信息公开条例第四十九条",
        "reminders": [-10, -3, 0, 1],
    },
    # Chapter 3 (resources): the provider answers a sharing request within 10 working days (国发〔2016〕51号).
    "sharing_reply": {
        "label": gettext_noop("答复共享申请"),
        "legal_basis": "Art. 21",
        "reminders": [-3, -1, 0, 1],
        "subject_field": "reply_due_date",
    },
    # A sharing grant ends on its date; the grantee hears before (no failure: the period simply runs out).
    "sharing_grant_end": {
        "label": gettext_noop("共享授权到期"),
        "legal_basis": "Art. 21",
        "reminders": [-30, -7],
        "reminder_unit": "calendar",
        "on_due": "expire",
    },
}
# Reminders go out from this hour (Beijing time) on their working day.
DEADLINE_REMINDER_HOUR = env.int("DEADLINE_REMINDER_HOUR", default=8)
DEADLINE_SWEEP_BATCH_SIZE = env.int("DEADLINE_SWEEP_BATCH_SIZE", default=500)
# --- Notifications: code -> label shown on the preferences page. Add a kind by adding an entry.
NOTIFICATION_KINDS = {
    "deadline_reminder": gettext_noop("期限提醒"),
    "deadline_overdue": gettext_noop("期限逾期"),
    "deadline_changed": gettext_noop("期限变更（延期、免除）"),
    "deadline_expired": gettext_noop("期限届满（保修期、资质证书等）"),
    # Chapter 2 (projects).
    "filing_submitted": gettext_noop("项目备案提交审查"),
    "filing_review_assigned": gettext_noop("项目审查分派"),
    "filing_returned": gettext_noop("项目备案退回修改"),
    "filing_decided": gettext_noop("项目审查意见出具"),
    "acceptance_requested": gettext_noop("项目竣工验收邀请（第十四条）"),
    "acceptance_recorded": gettext_noop("项目竣工验收结果"),
    "application_decided": gettext_noop("网络接入、域名申请审查结果"),
    # Chapters 6-7 (enforcement).
    "penalty_case": gettext_noop("行政处罚案件办理"),
    # Art. 19 / Art. 20 (disclosure).
    "disclosure_application": gettext_noop("政府信息公开申请"),
    "enterprise_disclosure_reminder": gettext_noop("公共企事业单位信息公开提醒"),
    # Chapter 3 (resources).
    "resource_submitted": gettext_noop("信息资源提交发布审核"),
    "resource_decided": gettext_noop("信息资源发布或退回"),
    "resource_stale": gettext_noop("信息资源未按周期更新"),
    "sharing_requested": gettext_noop("收到共享申请"),
    "sharing_answered": gettext_noop("共享申请答复"),
    "sharing_escalated": gettext_noop("共享争议报请协调"),
    "sharing_decided": gettext_noop("共享协调决定"),
    "sharing_grant_changed": gettext_noop("共享授权撤销"),
    "grant_expiring": gettext_noop("共享授权即将到期"),
}
# How email leaves after commit: "celery" (queue a task), "inline" (send in-process, for tests and
# single-process setups) or "off" (leave it to the periodic retry task).
NOTIFICATION_EMAIL_DELIVERY = env.str("NOTIFICATION_EMAIL_DELIVERY", default="celery")
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=5)
# Absolute links in emails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Chapter 2 (projects): configurable legal periods and the PDF font.
# Art. 13: working days the authority allows itself to review a complete filing.
PROJECT_REVIEW_WORKING_DAYS = env.int("PROJECT_REVIEW_WORKING_DAYS", default=20)
# Embedded in review-opinion PDFs (a TrueType CJK font; install Debian's fonts-wqy-microhei).
PDF_CJK_FONT_PATH = env.str("PDF_CJK_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PDF_CJK_FONT_SUBFONT_INDEX = env.int("PDF_CJK_FONT_SUBFONT_INDEX", default=0)

# Pages people can rely on (README "Page conventions"): whom to contact, shown on the sign-in and
# error pages; the expired-form (CSRF) page in the site's layout.
PORTAL_SUPPORT_CONTACT = env.str("PORTAL_SUPPORT_CONTACT", default="")
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
# --- Chapter 5 (security): configurable limits; security/rules.py reads them and cites each source.
# 公通字〔2007〕43号 Art. 15: a level-2+ system is filed within 30 (calendar) days of grading.
SECURITY_FILING_DAYS = env.int("SECURITY_FILING_DAYS", default=30)
# Expert review of gradings from this level on (current practice: 2; the 2007 rules: 4).
SECURITY_EXPERT_REVIEW_MIN_LEVEL = env.int("SECURITY_EXPERT_REVIEW_MIN_LEVEL", default=2)
# Months between evaluations per level, "level:months,..." (公网安〔2025〕1846号: level 3+ yearly;
# 43号 had level 4 every 6 months: "3:12,4:6,5:12"). A level left out has no periodic evaluation.
SECURITY_EVALUATION_INTERVAL_MONTHS = {
    int(level): int(months)
    for level, months in (
        item.split(":") for item in env.list("SECURITY_EVALUATION_INTERVAL_MONTHS", default=["3:12", "4:12", "5:12"])
    )
}
# Art. 34: emergency plans are drilled on a schedule (months; default yearly).
SECURITY_DRILL_INTERVAL_MONTHS = env.int("SECURITY_DRILL_INTERVAL_MONTHS", default=12)
# Art. 34: minutes from discovery to the first incident report, per level (4 hours; 1 hour for 重大 and above).
SECURITY_INCIDENT_REPORT_MINUTES = {
    "general": env.int("SECURITY_INCIDENT_REPORT_MINUTES_GENERAL", default=240),
    "larger": env.int("SECURITY_INCIDENT_REPORT_MINUTES_LARGER", default=240),
    "major": env.int("SECURITY_INCIDENT_REPORT_MINUTES_MAJOR", default=60),
    "especially_major": env.int("SECURITY_INCIDENT_REPORT_MINUTES_ESPECIALLY_MAJOR", default=60),
}
DEADLINE_KINDS.update(
    {
        "security_grading_filing": {
            "label": gettext_noop("等级保护定级备案"),
            "legal_basis": "Art. 32；公通字〔2007〕43号第十五条",
            "reminders": [-10, -3, 0, 1, 5],
            "reminder_unit": "calendar",
            "subject_field": "filing_due_date",
        },
        "security_evaluation": {
            "label": gettext_noop("等级测评"),
            "legal_basis": "Art. 33；公网安〔2025〕1846号",
            "reminders": [-60, -30, -7, 0, 7],
            "reminder_unit": "calendar",
        },
        "security_drill": {
            "label": gettext_noop("应急预案演练"),
            "legal_basis": "Art. 34",
            "reminders": [-30, -7, 0, 7],
            "reminder_unit": "calendar",
        },
        "security_incident_summary": {
            "label": gettext_noop("安全事件总结报告"),
            "legal_basis": "Art. 34",
            "reminders": [-7, -1, 0, 1],
            "reminder_unit": "calendar",
            "subject_field": "summary_due_date",
        },
    }
)
NOTIFICATION_KINDS.update(
    {
        "security_grading_submitted": gettext_noop("等级保护备案提交审核"),
        "security_grading_decided": gettext_noop("等级保护备案审核结果"),
        "security_incident_reported": gettext_noop("网络与信息系统安全事件报告"),
        "security_bulletin": gettext_noop("信息安全通报"),
    }
)
# --- Chapter 1 and Arts. 28, 31, 40 (planning): plans, standards, staff training, commendations.
# Art. 6 para. 2 sets no period for the city authority's conformity review of a district plan: the authority's
# own service norm, in working days.
PLAN_CONFORMITY_REVIEW_WORKING_DAYS = env.int("PLAN_CONFORMITY_REVIEW_WORKING_DAYS", default=20)
# Arts. 28 and 40 say "periodically": trainings and assessments each agency is expected to hold per year.
STAFF_DEVELOPMENT_MINIMUM_PER_YEAR = env.int("STAFF_DEVELOPMENT_MINIMUM_PER_YEAR", default=1)
DEADLINE_KINDS["plan_conformity_review"] = {
    "label": gettext_noop("区信息化发展规划审核"),
    "legal_basis": "Art. 6",
    "reminders": [-5, -1, 0, 1, 5],
    "subject_field": "review_due_date",
}
NOTIFICATION_KINDS.update(
    {"plan_review_requested": gettext_noop("区规划报送审核"), "plan_reviewed": gettext_noop("区规划审核结果")}
)
# --- Chapters 6-7 (enforcement): per-authority settings, keyed by the authority's district code (e.g.
# "110108" for Haidian), "city" for the city authority and as the default.
# Case-number prefix of the deciding authority (e.g. 京经信罚〔2026〕3号).
ENFORCEMENT_CASE_PREFIXES = {"city": env.str("ENFORCEMENT_CASE_PREFIX", default="京经信罚")}
# 行政处罚法第六十三条: a fine at or above this amount (CNY) gives the party the right to a hearing.
ENFORCEMENT_HEARING_THRESHOLDS = {
    "city": {
        "organization": env.int("ENFORCEMENT_HEARING_THRESHOLD_ORGANIZATION", default=50_000),
        "person": env.int("ENFORCEMENT_HEARING_THRESHOLD_PERSON", default=5_000),
    }
}

# --- Arts. 19-20 (disclosure): configurable periods and the public form's abuse limits.
# Art. 19: a disclosure catalog not updated for this many days is flagged to the authority.
DISCLOSURE_CATALOG_STALE_DAYS = env.int("DISCLOSURE_CATALOG_STALE_DAYS", default=90)
# Art. 20: a public-enterprise item not updated for this many days is stale.
DISCLOSURE_ENTERPRISE_STALE_DAYS = env.int("DISCLOSURE_ENTERPRISE_STALE_DAYS", default=365)
# django-ratelimit rates per client address: the public application form and the tracking look-up.
DISCLOSURE_APPLY_RATE = env.str("DISCLOSURE_APPLY_RATE", default="10/h")
DISCLOSURE_TRACK_RATE = env.str("DISCLOSURE_TRACK_RATE", default="20/m")
# django-simple-captcha: the challenge on the public application form (tests switch CAPTCHA_TEST_MODE on).
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10
# --- Chapter 3 (resources): configurable periods.
# Art. 21; 国发〔2016〕51号 Art. 13: working days the provider has to answer a sharing request.
RESOURCE_SHARING_REPLY_WORKING_DAYS = env.int("RESOURCE_SHARING_REPLY_WORKING_DAYS", default=10)
