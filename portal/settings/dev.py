"""The embedded default: SQLite, tasks in-process, e-mails into var/mail/, demo data."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
WHITENOISE_AUTOREFRESH = True
# Tasks run in process here: those queued by a request run after its response, in a thread,
# so that timing matches production's worker (docs/security.md, issue 14 item 8).
EAGER_TASKS_AFTER_RESPONSE = env.bool("EAGER_TASKS_AFTER_RESPONSE", default=True)
