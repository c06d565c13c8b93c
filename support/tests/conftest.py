"""Users on every side of the console, and an account full of secrets that must never show."""

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import Account, User
from accounts.tests.factories import (
    AccountFactory,
    DeviceFactory,
    UserFactory,
    VaultItemFactory,
    VerifierFactory,
    second_factor_session,
)
from support.permissions import console_groups_ensure

SECRET_PASSWORD = "Secret-Password-Marmalade-77"
SECRET_HINT = "SECRET-HINT-orange-kangaroo"
SECRET_TOKEN_HASH = "5ec2e7" + "ab" * 29
SECRET_CIPHERTEXT = b"SECRET-CIPHERTEXT-\x00\x01vault-item-bytes"
SECRET_VERIFIER = b"V" * 16 + b"\x01\x02\x03\x04" * 4
SECRET_RESET_HASH = "7e5e7" + "cd" * 29 + "e"
SECRET_EMAIL_BODY = "SECRET-EMAIL-BODY-with-a-link-token-XYZ"


@pytest.fixture
def groups(db):
    return console_groups_ensure()


def _staff(email: str, group_names: list[str], groups) -> User:
    user = UserFactory(email=email, is_staff=True, second_factor=True)
    for name in group_names:
        user.groups.add(groups[name])
    return user


@pytest.fixture
def agent(groups) -> User:
    return _staff("agent@staff.example", ["agent"], groups)


@pytest.fixture
def supervisor(groups) -> User:
    return _staff("supervisor@staff.example", ["supervisor"], groups)


@pytest.fixture
def staff_without_group(groups) -> User:
    return _staff("nogroup@staff.example", [], groups)


@pytest.fixture
def customer_account(db) -> Account:
    return AccountFactory(user__email="someone@example.com")


@pytest.fixture
def client_for():
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            second_factor_session(client, user)  # as if the code was just entered
        return client

    return make


@dataclass
class SecretAccount:
    account: Account
    needles: list[str]


@pytest.fixture
def secret_account(db) -> SecretAccount:
    """An account holding every kind of secret, each one a string we can search pages for."""
    from mailer.models import OutboundEmail
    from resets.models import ResetRequest, ResetRequestEvent

    account = AccountFactory(
        user__email="owner@example.com", user__password=SECRET_PASSWORD, password_hint=SECRET_HINT
    )
    DeviceFactory(account=account, name="Owner phone", token_hash=SECRET_TOKEN_HASH)
    VaultItemFactory(account=account, ciphertext=SECRET_CIPHERTEXT)
    VerifierFactory(account=account, public_key=SECRET_VERIFIER)
    from django.utils import timezone

    reset = ResetRequest.objects.create(
        account=account,
        nonce="SECRET-NONCE-0123456789abcdef",
        token_hash=SECRET_RESET_HASH,
        cancel_token_hash="c" + SECRET_RESET_HASH[1:],
        expires_at=timezone.now() + timezone.timedelta(minutes=60),
    )
    ResetRequestEvent.objects.create(reset_request=reset, state="requested", ip="203.0.113.9")
    OutboundEmail.objects.create(
        kind="reset_link",
        to=account.user.email,
        account=account,
        subject="Reset your account",
        text_body=SECRET_EMAIL_BODY,
        html_body=f"<p>{SECRET_EMAIL_BODY}</p>",
        context={"token": "SECRET-CTX"},
    )
    account.user.refresh_from_db()
    import base64

    needles = [
        SECRET_PASSWORD,
        account.user.password,
        account.user.password.split("$")[-1],
        SECRET_HINT,
        SECRET_TOKEN_HASH,
        "SECRET-CIPHERTEXT",
        SECRET_CIPHERTEXT.hex(),
        base64.b64encode(SECRET_CIPHERTEXT).decode(),
        SECRET_VERIFIER.hex(),
        base64.b64encode(SECRET_VERIFIER).decode(),
        "VVVVVVVV",
        SECRET_RESET_HASH,
        "SECRET-NONCE",
        SECRET_EMAIL_BODY,
        "SECRET-CTX",
    ]
    return SecretAccount(account=account, needles=needles)


@pytest.fixture
def reset_emails(db):
    """List the reset e-mails queued so far (the real reset services run) as (kind, to, context)."""
    from mailer.models import OutboundEmail
    from resets.services import LINK_KIND, REQUEST_KIND

    def queued() -> list[tuple[str, str, dict]]:
        rows = OutboundEmail.objects.filter(kind__in=[LINK_KIND, REQUEST_KIND]).order_by("pk")
        return [(row.kind, row.to, row.context) for row in rows]

    return queued
