"""The embedded default: SQLite, tasks in-process, e-mails into var/mail/, demo data."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
WHITENOISE_AUTOREFRESH = True
