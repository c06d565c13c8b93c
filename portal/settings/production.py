"""Production: every secret from the environment, HTTPS only, Redis, a real mail provider."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL").rstrip("/")  # every link in every e-mail is built from it: no default
DATABASES = {"default": env.db("DATABASE_URL")}

# Production needs Redis: rate limits and chat must be shared by every process, and e-mail is
# queued for real workers (never sent in the request). No default: start-up fails without it.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
    }
}
CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])  # noqa: F405
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
}

# E-mail must leave through a real server or provider: never the dev folder backend, which would
# keep reset links, hints and QR codes on the container's disk.
if not (EMAIL_URL or ANYMAIL_PROVIDER):  # noqa: F405
    raise ImproperlyConfigured("Set EMAIL_URL (smtp://…) or ANYMAIL_PROVIDER with ANYMAIL_API_KEY.")
if ANYMAIL_PROVIDER and not (
    env("ANYMAIL_API_KEY", default="") and env("ANYMAIL_WEBHOOK_SECRET", default="")
):  # noqa: F405
    raise ImproperlyConfigured(
        "ANYMAIL_API_KEY and ANYMAIL_WEBHOOK_SECRET are required with ANYMAIL_PROVIDER."
    )
if INBOUND_EMAIL_WEBHOOK and not env("ANYMAIL_WEBHOOK_SECRET", default=""):  # noqa: F405
    raise ImproperlyConfigured("ANYMAIL_WEBHOOK_SECRET is required with MAILGUN_WEBHOOK_SIGNING_KEY.")
