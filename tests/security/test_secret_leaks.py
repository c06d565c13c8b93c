"""The main flows, end to end, with every log at DEBUG and every Celery message captured.

No password, hint, reset/cancel token, full link or QR payload may appear in our logs, in
what is published to the broker (arguments and their printable repr), or in a result: the
secrets exist only in the request, the e-mail and (for the QR payload) the one task message
that carries it to the worker.
"""

import logging
import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.kdf import KdfParams
from accounts.models import Account, SecurityEvent
from accounts.tests.factories import AccountFactory, auth_key_for
from accounts.tests.zk import new_password_data, signin_data
from mailer.models import OutboundEmail
from portal.celery import app
from resets.models import ResetRequestEvent
from vaultclient import crypto

pytestmark = pytest.mark.django_db

EMAIL = "leaks@example.com"
PASSWORD = "Ocelot-Quarry-Violin-4471"
HINT = "spotted cat in a stone pit"
NEW_PASSWORD = "Walrus-Ember-Tunnel-9038"
NEW_HINT = "tusked animal near a fire"
API_PASSWORD = "Heron-Glacier-Pocket-2265"
API_KDF = KdfParams(salt="YXBpLXNhbHQtMTYtYnl0ZQ", iterations=3, memory_kib=65_536, parallelism=1)
FAST_KDF = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


def _link_tokens(body: str) -> list[str]:
    return re.findall(r"/reset/(?:link|cancel)/([^/\s]+)/", body)


def _assert_no_secret_logged_published_or_stored(
    secrets: list[str], *, caplog, broker, transient: dict[str, str] | None = None
) -> None:
    """No secret in our log records, in a published task message or in an outbox row.

    `transient` names, per task, the one keyword argument allowed to carry a secret in the task's
    body (never in its printable repr). The test SMTP server's own "mail.log" is not ours: it
    naturally sees the messages it receives.
    """
    transient = transient or {}
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue
        text = record.getMessage() + (record.exc_text or "")
        for secret in secrets:
            assert secret not in text, (record.name, secret)
    for secret in secrets:
        assert secret not in caplog.text
    assert broker.messages, "no task was published"
    for message in broker.messages:
        shown = f"{message['headers'].get('argsrepr')} {message['headers'].get('kwargsrepr')}"
        args, kwargs, _ = message["body"]
        stripped = {k: v for k, v in kwargs.items() if transient.get(message["task"]) != k}
        for secret in secrets:
            assert secret not in shown, (message["task"], secret)
            assert secret not in repr(message["headers"]), (message["task"], secret)
            assert secret not in repr((args, stripped)), (message["task"], secret)
    # The outbox rows (what a database dump would show): every kind, the sign-up confirmation
    # included, is rendered by the worker from ids.
    for row in OutboundEmail.objects.all():
        stored = repr((row.subject, row.text_body, row.html_body, row.context, row.last_error))
        for secret in secrets:
            assert secret not in stored, (row.kind, secret)


def test_main_flows_leak_no_secret(client, caplog, broker, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD, HINT, NEW_PASSWORD, NEW_HINT, API_PASSWORD]
    # The auth keys the device sends instead (password-equivalent for this server): no log either.
    secrets += [auth_key_for(PASSWORD), auth_key_for(NEW_PASSWORD), auth_key_for(API_PASSWORD, API_KDF)]

    def step(call):
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        broker.run_pending()
        return response

    # Sign up, confirm the address, sign in (web).
    step(
        lambda: client.post(
            reverse("account_signup"),
            {"email": EMAIL, **new_password_data(PASSWORD), "password_hint": HINT},
        )
    )
    confirm = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    confirmation_key = confirm.rstrip("/").rsplit("/", 1)[-1]
    secrets.append(confirmation_key)
    confirmed = step(lambda: client.post(re.sub(r"^https?://[^/]+", "", confirm)))
    assert confirmed.status_code == 302
    step(lambda: client.post(reverse("account_login"), signin_data(EMAIL, PASSWORD)))
    client.post(reverse("account_logout"))

    # Hint by e-mail, then a reset: request, link, completion.
    step(lambda: client.post(reverse("resets:hint"), {"hint-email": EMAIL}))
    assert HINT in mail.outbox[-1].body
    step(lambda: client.post(reverse("resets:request"), {"email": EMAIL}))
    reset_mail = mail.outbox[-1].body
    reset_token, cancel_token = _link_tokens(reset_mail)
    secrets += [reset_token, cancel_token]
    client.get(reverse("resets:link_token", args=[reset_token]))
    done = step(
        lambda: client.post(
            reverse("resets:link"),
            {
                **new_password_data(NEW_PASSWORD),
                "hint": NEW_HINT,
                "confirm_email": EMAIL,
                "confirm_erase": "on",
            },
        )
    )
    assert done.status_code == 302

    # App: sign in, set up the account key (QR payload e-mailed), change the password.
    api = APIClient()
    device = {"device_uid": "leak-device-0001", "device_name": "Phone", "platform": "ios"}
    signed_in = step(
        lambda: api.post(
            reverse("api:signin"),
            {"email": EMAIL, "auth_key": auth_key_for(NEW_PASSWORD), **device},
            format="json",
        )
    )
    device_token = signed_in.json()["device_token"]
    secrets.append(device_token)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {device_token}")
    account = Account.objects.get(user__email=EMAIL)
    account_key = crypto.account_key_new()
    payload = crypto.payload_seal(
        account_key=account_key,
        password=NEW_PASSWORD,
        account_id=account.account_id,
        generation=account.key_generation,
        kdf=FAST_KDF,
    )
    secrets.append(payload)
    setup = step(
        lambda: api.post(
            reverse("api:account-key"),
            {
                "generation": account.key_generation,
                "verifier": crypto.b64url(crypto.verifier_public(account_key)),
                "encrypted_account_key": payload,
            },
            format="json",
        )
    )
    assert setup.status_code == 201, setup.json()
    new_payload = crypto.payload_seal(
        account_key=account_key,
        password=API_PASSWORD,
        account_id=account.account_id,
        generation=account.key_generation,
        kdf=FAST_KDF,
    )
    secrets.append(new_payload)
    changed = step(
        lambda: api.post(
            reverse("api:password-change"),
            {
                "current_auth_key": auth_key_for(NEW_PASSWORD),
                "new_auth_key": auth_key_for(API_PASSWORD, API_KDF),
                "new_kdf": API_KDF.as_dict(),
                "encrypted_account_key": new_payload,
                "password_hint": "",
            },
            format="json",
        )
    )
    assert changed.status_code == 200, changed.json()

    # The e-mails did carry the secrets (so the flows really ran) ...
    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) == 6, subjects  # confirm, hint, reset, reset done, QR twice
    assert any(reset_token in m.body for m in mail.outbox)
    # ... and none reached a log record, a task message (but the QR e-mail's `payload`, its kind's
    # transient argument to the send task, by design) or an outbox row.
    _assert_no_secret_logged_published_or_stored(
        secrets, caplog=caplog, broker=broker, transient={"mailer.tasks.send_email": "payload"}
    )
    qr_tasks = [
        m for m in broker.messages if m["task"] == "mailer.tasks.send_email" and "payload" in m["body"][1]
    ]
    assert len(qr_tasks) == 2 and all("[hidden]" in m["headers"]["kwargsrepr"] for m in qr_tasks)
    # No result is stored anywhere.
    assert app.conf.result_backend is None and app.conf.task_ignore_result


def _unused_recovery_codes(user) -> list[str]:
    return (
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    )


def test_second_factor_flows_leak_no_secret(client, caplog, broker, django_capture_on_commit_callbacks):
    """The authenticator key and the recovery codes: enrolment, new codes, sign-in with either,
    and a reset link's factor step; in no log record, task message, outbox row or audit row."""
    caplog.set_level(logging.DEBUG)

    def step(call):
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        broker.run_pending()
        return response

    user = AccountFactory(user__email="factors@example.com").user
    assert client.post(reverse("account_login"), signin_data(user.email)).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()}).status_code == 302

    # Enrol an authenticator app: allauth shows the key once and adds recovery codes.
    totp_secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    activated = step(
        lambda: client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(totp_secret).now()})
    )
    assert activated.status_code == 302
    first_codes = _unused_recovery_codes(user)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert step(lambda: client.post(reverse("mfa_generate_recovery_codes"))).status_code == 302
    new_codes = _unused_recovery_codes(user)
    assert set(first_codes).isdisjoint(new_codes)
    client.post(reverse("account_logout"))

    # Sign in with a recovery code (the app's code was used up by the enrolment just now).
    assert client.post(reverse("account_login"), signin_data(user.email))["Location"] == reverse(
        "mfa_authenticate"
    )
    assert step(lambda: client.post(reverse("mfa_authenticate"), {"code": new_codes[0]})).status_code == 302
    client.post(reverse("account_logout"))

    # A reset: the link page's factor step takes another recovery code, then the reset completes.
    step(lambda: client.post(reverse("resets:request"), {"email": user.email}))
    reset_token, cancel_token = _link_tokens(mail.outbox[-1].body)
    client.get(reverse("resets:link_token", args=[reset_token]))
    factor = step(
        lambda: client.post(reverse("resets:link_factor"), {"action": "code", "code": new_codes[1]})
    )
    assert factor.status_code == 302
    done = step(
        lambda: client.post(
            reverse("resets:link"),
            {
                **new_password_data(NEW_PASSWORD),
                "hint": "",
                "confirm_email": user.email,
                "confirm_erase": "on",
            },
        )
    )
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    secrets = [totp_secret, *first_codes, *new_codes, reset_token, cancel_token]
    assert any("second factor" in m.subject for m in mail.outbox)  # the flows did e-mail
    _assert_no_secret_logged_published_or_stored(secrets, caplog=caplog, broker=broker)
    audit = [*SecurityEvent.objects.all(), *ResetRequestEvent.objects.all()]
    assert audit
    for event in audit:
        for secret in secrets:
            assert secret not in repr(event.details), (event, secret)
