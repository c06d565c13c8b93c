"""Error reports (Django's exception reporter, our "Sentry") and 500 pages never carry secrets.

A 500 is forced deep inside the views that take passwords, hints, tokens and QR payloads;
the report built from the logged exception must not contain any of them.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from accounts.kdf import KdfParams
from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, auth_key_for
from accounts.tests.zk import new_password_data, signin_data
from api.tests.factories import device_with_token
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

PASSWORD = "Zebra-Orbit-Lantern-5521"
HINT = "striped planet lamp"
NEW_KDF = KdfParams(salt="bmV3LXNhbHQtMTYtYnl0ZQ", iterations=3, memory_kib=65_536, parallelism=1)


class Boom(Exception):
    """The injected fault."""


def _boom(*args, **kwargs):
    raise Boom("injected fault")


def _reports(caplog) -> list[str]:
    """Render the full text report (frames with local variables, POST, META) of each logged error."""
    texts = []
    for record in caplog.records:
        if record.exc_info and record.exc_info[0] is Boom:
            request = getattr(record, "request", None)
            reporter = get_exception_reporter_class(request)(request, *record.exc_info, is_email=True)
            texts.append(reporter.get_traceback_text())
            texts.append(reporter.get_traceback_html())
    assert texts, "the injected fault was not logged with its traceback"
    return texts


def _assert_clean(response, caplog, *secrets):
    assert response.status_code == 500, response.content
    body = response.content.decode()
    assert "Traceback" not in body and "injected fault" not in body
    for text in _reports(caplog):
        for secret in secrets:
            at = text.find(secret)
            assert at == -1, f"{secret!r} leaked into an error report: {text[max(0, at - 300) : at + 100]}"
    for secret in secrets:
        assert secret not in body


@pytest.fixture(
    params=[
        "core.errorreports.SecretsExceptionReporterFilter",
        "django.views.debug.SafeExceptionReporterFilter",
    ],
    ids=["our-filter", "django-filter"],
)
def reporter_filter(request, settings):
    """Run with our filter, and with Django's stock one: the views' own decorators must suffice."""
    settings.DEFAULT_EXCEPTION_REPORTER_FILTER = request.param
    return request.param


@pytest.fixture
def crash_client(caplog):
    caplog.set_level(logging.DEBUG)
    return Client(raise_request_exception=False)


def test_signup_error_report_hides_password_and_hint(crash_client, caplog, monkeypatch):
    monkeypatch.setattr("accounts.adapters.account_create", _boom)
    response = crash_client.post(
        reverse("account_signup"),
        {"email": "crash@example.com", **new_password_data(PASSWORD), "password_hint": HINT},
    )
    _assert_clean(response, caplog, auth_key_for(PASSWORD), HINT)


def test_sign_in_error_report_hides_password(crash_client, caplog, monkeypatch):
    account = AccountFactory()
    monkeypatch.setattr("allauth.account.adapter.DefaultAccountAdapter.pre_login", _boom)
    response = crash_client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    _assert_clean(response, caplog, auth_key_for(DEFAULT_PASSWORD))


def test_reset_completion_error_report_hides_password_hint_and_token(
    crash_client, caplog, monkeypatch, reporter_filter
):
    reset_request, token, _ = pending_reset()
    crash_client.get(reverse("resets:link_token", args=[token]))
    monkeypatch.setattr("resets.services.completion._vault_delete", _boom)
    response = crash_client.post(
        reverse("resets:link"),
        {
            **new_password_data(PASSWORD),
            "hint": HINT,
            "confirm_email": reset_request.account.user.email,
            "confirm_erase": "on",
        },
    )
    _assert_clean(response, caplog, auth_key_for(PASSWORD), HINT, token)
    # The fault hit mid-transaction (after the password was set): nothing was changed.
    account = reset_request.account
    account.refresh_from_db()
    account.user.refresh_from_db()
    reset_request.refresh_from_db()
    assert account.user.check_password(auth_key_for(DEFAULT_PASSWORD)) and account.key_generation == 1
    assert reset_request.state in ("requested", "opened")


def test_reset_link_first_load_error_report_hides_the_token(crash_client, caplog, monkeypatch):
    _, token, cancel = pending_reset()
    monkeypatch.setattr("core.links.redirect", _boom)  # the landing view lives in core.links
    for name, secret in (("resets:link_token", token), ("resets:cancel_token", cancel)):
        caplog.clear()
        response = crash_client.get(reverse(name, args=[secret]))
        _assert_clean(response, caplog, secret)


def test_api_sign_in_error_report_hides_password(caplog, monkeypatch, reporter_filter):
    caplog.set_level(logging.DEBUG)
    account = AccountFactory()
    monkeypatch.setattr("api.services.devices._device_sign_in", _boom)
    response = Client(raise_request_exception=False).post(
        reverse("api:signin"),
        {
            "email": account.user.email,
            "auth_key": auth_key_for(DEFAULT_PASSWORD),
            "device_uid": "crash-device-0001",
            "device_name": "Phone",
            "platform": "ios",
        },
        content_type="application/json",
    )
    _assert_clean(response, caplog, auth_key_for(DEFAULT_PASSWORD))


def test_api_password_change_error_report_hides_password_hint_and_payload(
    caplog, monkeypatch, reporter_filter
):
    caplog.set_level(logging.DEBUG)
    token = "crash-test-device-token-0123456789"
    device_with_token(token)
    payload = "VQR1.secret-payload-abcdefghijklmnopqrstuvwxyz"
    monkeypatch.setattr("api.services.passwords.payload_check", _boom)
    response = Client(raise_request_exception=False).post(
        reverse("api:password-change"),
        {
            "current_auth_key": auth_key_for(DEFAULT_PASSWORD),
            "new_auth_key": auth_key_for(PASSWORD, NEW_KDF),
            "new_kdf": NEW_KDF.as_dict(),
            "password_hint": HINT,
            "encrypted_account_key": payload,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    _assert_clean(
        response,
        caplog,
        auth_key_for(DEFAULT_PASSWORD),
        auth_key_for(PASSWORD, NEW_KDF),
        HINT,
        payload,
        token,
    )
