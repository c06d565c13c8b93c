"""Browser-facing protections: headers, CSRF, redirects, session fixation, secrets in logs."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, DeviceFactory, auth_key_for
from accounts.tests.zk import new_password_data, signin_data
from core.logfilters import ScrubSecretsFilter, scrub

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/reset/", "/accounts/password/change/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_forbid_framing_sniffing_and_foreign_content(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    # WebAssembly may be compiled (the sign-in pages' Argon2id); inline scripts and eval() may not.
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer"}


def test_state_changing_forms_require_a_csrf_token():
    account = AccountFactory()
    device = DeviceFactory(account=account)
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD)).status_code
        == 403
    )
    assert client.post(reverse("account_signup"), {"email": "x@example.com"}).status_code == 403
    client.force_login(account.user)
    assert client.post(reverse("accounts:device_sign_out", args=[device.pk])).status_code == 403
    assert client.post(reverse("account_logout")).status_code == 403
    device.refresh_from_db()
    assert device.revoked_at is None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "https:evil.example", "/\\evil.example"]
)
def test_sign_in_never_redirects_off_site(client, target):
    account = AccountFactory()
    response = client.post(
        reverse("account_login") + f"?next={target}",
        {**signin_data(account.user.email, DEFAULT_PASSWORD), "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_sign_in_rotates_the_session_key(client):
    account = AccountFactory()
    client.get(reverse("account_login"))
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    assert client.cookies["sessionid"].value != before


def test_failed_sign_ins_are_rate_limited_even_for_the_right_password(client):
    account = AccountFactory()
    for attempt in range(6):
        client.post(reverse("account_login"), signin_data(account.user.email, f"wrong-{attempt}"))
    response = client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_and_sign_in_keep_passwords_and_hints_out_of_the_logs(
    client, caplog, django_capture_on_commit_callbacks
):
    password, hint = "Quokka-Lantern-7731", "the marsupial lamp"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "logs@example.com", **new_password_data(password), "password_hint": hint},
        )
    client.post(reverse("account_login"), signin_data("logs@example.com", password))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert password not in logged
    assert auth_key_for(password) not in logged
    assert hint not in logged


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("password=hunter2-very-secret", "hunter2-very-secret"),
        ('{"token": "abc123abc123abc123"}', "abc123abc123abc123"),
        ("Authorization: Bearer s3cr3tT0kenValue", "s3cr3tT0kenValue"),
        ("GET /reset/t/Zx9fJk2LmQ8pRt5vWy3aBc7dEf/ HTTP/1.1", "Zx9fJk2LmQ8pRt5vWy3aBc7dEf"),
        ("hint: my dog's name", "my"),
    ],
)
def test_log_filter_scrubs_secret_looking_values(raw, secret):
    assert secret not in scrub(raw)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s", (raw,), None)
    ScrubSecretsFilter().filter(record)
    assert secret not in record.getMessage()


def test_a_request_for_a_foreign_host_is_answered_400_and_logs_no_error(client, settings, mailoutbox):
    """Scanners send any Host header: the answer is 400, not an ERROR with a traceback mailed to admins."""
    settings.ADMINS = [("Operations", "ops@vault.example")]
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record)

    collect = Collect()
    logging.getLogger().addHandler(collect)  # where the console handler sits
    try:
        response = client.get("/", HTTP_HOST="scanner.example")
    finally:
        logging.getLogger().removeHandler(collect)
    assert response.status_code == 400
    assert not [record for record in seen if record.name.startswith("django.security")]
    assert mailoutbox == []
