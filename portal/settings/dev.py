"""The embedded default: SQLite, tasks in-process, e-mails into var/mail/, demo data."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_ALLOWED = True  # `make run` loads the demo logins (README)
# Tasks run in process here: those queued by a request run after its response, in a thread,
# so that timing matches production's worker (docs/security.md, issue 14 item 8).
EAGER_TASKS_AFTER_RESPONSE = env.bool("EAGER_TASKS_AFTER_RESPONSE", default=True)
# No `celery beat` here: the web process runs the periodic tasks itself (core.beat).
EMBEDDED_BEAT = env.bool("EMBEDDED_BEAT", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The request and the after-response task thread both write: take the write lock at the
    # start of each transaction and wait for it, instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://localhost only: passkeys in development
