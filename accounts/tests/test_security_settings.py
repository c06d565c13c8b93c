import subprocess

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from tests.production import production_run


def _prod(code: str) -> subprocess.CompletedProcess:
    return production_run("-c", f"import django; django.setup(); from django.conf import settings; {code}")


def test_production_uses_argon2id_first():
    result = _prod("print(settings.PASSWORD_HASHERS[0])")
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher", result.stderr


def test_argon2_hasher_produces_argon2id_hashes():
    encoded = Argon2PasswordHasher().encode("a-long-test-password", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "REDIS_URL", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    result = production_run("-c", "import django; django.setup()", without=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_cookies_are_secure_and_min_password_length_is_10():
    result = _prod(
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0,"
        " [v.get('OPTIONS') for v in settings.AUTH_PASSWORD_VALIDATORS if 'MinimumLength' in v['NAME']][0])"
    )
    assert result.stdout.strip() == "True True True {'min_length': 10}", result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
