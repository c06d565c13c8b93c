import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.hashers import AuthKeyHasher

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "vault.example",
    "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3",
    "SITE_URL": "https://vault.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.vault.example:587",
}


def _prod(code: str, env_overrides: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **PROD_ENV, **(env_overrides or {})}
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_hashes_the_auth_key_with_the_auth_key_hasher_only():
    # The device's Argon2id does the stretching (docs/security.md): the server hash is one salted round.
    result = _prod("print(settings.PASSWORD_HASHERS, settings.AUTH_KDF_FLOOR)")
    assert result.stdout.strip() == (
        "['accounts.hashers.AuthKeyHasher'] {'iterations': 3, 'memory_kib': 65536, 'parallelism': 1}"
    ), result.stderr


def test_auth_key_hasher_is_salted_one_way_and_checks():
    hasher = AuthKeyHasher()
    key = "A" * 43
    first, second = hasher.encode(key, hasher.salt()), hasher.encode(key, hasher.salt())
    assert first.startswith("authkey_pbkdf2_sha256$1$") and first != second
    assert key not in first
    assert hasher.verify(key, first) and not hasher.verify("B" * 43, first)


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "REDIS_URL", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in os.environ.items() if k not in {missing, "CELERY_BROKER_URL", "ANYMAIL_PROVIDER"}}
    env.update({k: v for k, v in PROD_ENV.items() if k != missing})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_cookies_are_secure_and_min_password_length_is_10():
    # The length rule runs on the device (the server never sees the password): the setting feeds it.
    result = _prod(
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0,"
        " settings.PASSWORD_MIN_LENGTH, settings.AUTH_PASSWORD_VALIDATORS)"
    )
    assert result.stdout.strip() == "True True True 10 []", result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
