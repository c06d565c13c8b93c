"""Benchmark settings: the production shape over plain HTTP on loopback, with rate limits lifted.

Used only by `make bench` (bench/stack.py). Everything else is production.py.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
ALLAUTH_TRUSTED_PROXY_COUNT = 0
# The load comes from one IP at rates far above what a person does: lift per-IP limits.
ACCOUNT_RATE_LIMITS = False
ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
RESET_RATE_LIMIT_PER_ADDRESS = "1000000/h"
RESET_RATE_LIMIT_PER_IP = "1000000/h"
