"""Run Python under the production settings in a subprocess, for the deploy-check tests."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Every setting production.py requires, with harmless values (nothing is contacted).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "ci-dummy-" + secrets.token_hex(32),
    "ALLOWED_HOSTS": "vault.example",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
    "SITE_URL": "https://vault.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.vault.example:587",
}
# Variables of the test run that would change what production.py reads.
_DROPPED = ("CI", "CELERY_BROKER_URL", "ANYMAIL_PROVIDER")


def production_run(
    *args: str, without: tuple[str, ...] = (), extra: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess:
    """Run `python *args` with PRODUCTION_ENV (minus `without`, plus `extra`) instead of the test
    run's settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG")) and k not in _DROPPED
    }
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k not in without})
    for name in without:
        env.pop(name, None)
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
