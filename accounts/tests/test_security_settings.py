import subprocess

import pytest

from accounts.hashers import AuthKeyHasher
from tests.production import production_run


def _prod(code: str) -> subprocess.CompletedProcess:
    return production_run("-c", f"import django; django.setup(); from django.conf import settings; {code}")


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
    result = production_run("-c", "import django; django.setup()", without=(missing,))
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
