"""Settings shared by every environment; each integration lives in its own module."""

from .env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where our proxy connects from: X-Forwarded-For is read (ALLAUTH_TRUSTED_PROXY_COUNT entries from
# the end) only on connections from these networks, so a portal reached directly ignores what a
# client wrote there (core.request_meta.client_ip). Loopback and private ranges: the compose
# network; a load balancer with public addresses must be listed.
TRUSTED_PROXY_NETWORKS = env.list(
    "TRUSTED_PROXY_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
PRODUCT_NAME = "Vault"
# `manage.py seed_demo` (logins with a published password and authenticator secret): the
# embedded default and the tests only; production refuses it.
DEMO_DATA_ALLOWED = False

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # knowledge-base search on PostgreSQL; harmless on SQLite
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "anymail",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "csp",
    "core",
    "accounts",
    "mailer",
    "resets",
    "proofs",
    "support",
    "api",
    "chat",
    "forums",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NulBytesRejectMiddleware",
    "core.middleware.SignedInPagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.product",
                "chat.context_processors.chat_launcher",
                "chat.context_processors.chat_console_menu",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# allauth's backend (e-mail sign-in) only: Django's ModelBackend would hash every failed
# password a second time and add a lookup; there is no username sign-in and no admin.
AUTHENTICATION_BACKENDS = ["accounts.adapters.EmailAuthenticationBackend"]
# What Django calls the password is the auth key the device derives (docs/auth-protocol.md):
# 256 bits of entropy, so one salted HMAC round is enough (accounts/hashers.py, docs/security.md).
PASSWORD_HASHERS = ["accounts.hashers.AuthKeyHasher"]
# Password rules (length, strength, hint) run on the device: the server never sees the password.
PASSWORD_MIN_LENGTH = 10
AUTH_PASSWORD_VALIDATORS: list[dict] = []
# Argon2id costs new credentials are derived with, and the least the server accepts
# (accounts/kdf.py also refuses anything above iterations 10, 1 GiB, parallelism 8).
AUTH_KDF_DEFAULT = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1}
AUTH_KDF_FLOOR = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

from .allauth import *  # noqa: E402,F403
from .api import *  # noqa: E402,F403
from .cache import *  # noqa: E402,F403
from .celery import *  # noqa: E402,F403
from .chat import *  # noqa: E402,F403
from .email import *  # noqa: E402,F403
from .forums import *  # noqa: E402,F403
from .logging import *  # noqa: E402,F403
from .proofs import *  # noqa: E402,F403
from .resets import *  # noqa: E402,F403
from .security import *  # noqa: E402,F403
from .support import *  # noqa: E402,F403
