"""Test settings: the embedded default, or PostgreSQL and Redis when their URLs are set."""

import os

from .base import *  # noqa: F403
from .env import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"
if not EMAIL_URL:  # noqa: F405 - a worker subprocess started by a test is pointed at its SMTP server
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_OUTBOX_DIR = BASE_DIR / "var" / "test-mail"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks eagerly; tests marked `integration` start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TEST_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="memory://localhost/"))
WHITENOISE_AUTOREFRESH = True
DEMO_DATA_ALLOWED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://localhost: the browser journeys register passkeys

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: the live server, the worker thread and the
    # test thread write to it together. The shared cache answers "database table is locked" at
    # once, where a file database waits its busy timeout; IMMEDIATE transactions take the write
    # lock up front, so two writers queue instead of failing on a lock upgrade.
    # One file per test process, so that two runs in one checkout do not share it.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has none
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;",
    }
