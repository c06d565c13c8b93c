"""Two app installs (vaultclient) over a live server, with the real worker and a real SMTP server."""

import io
import logging
from datetime import timedelta

import pytest
import zxingcpp
from django.apps import apps
from django.db import models
from django.utils import timezone
from PIL import Image

from accounts.models import Account, AccountKeyVerifier, Device
from mailer.models import OutboundEmail
from tests.waiting import wait_for
from vaultclient import ClientError, VaultClient, crypto
from vaultclient.api import Api, ApiError

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Saffron-Kettle-Orbit-31"
EMAIL = "owner@example.com"
FAST_KDF = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


def _qr_from_email(message) -> tuple[str, str, str]:
    """Return (QR text decoded from the inline PNG, text part, HTML part)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    [png] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert png["Content-ID"] == "<account-key-qr>"
    # zxing may report the one code more than once (e.g. also from its mirror image): one text.
    [text_in_code] = {code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))}
    return text_in_code, text, html


def _assert_nowhere_in_database(secrets: list[bytes]) -> None:
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.BinaryField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields):
            for value in row:
                if value is None:
                    continue
                blob = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                for secret in secrets:
                    assert secret not in blob, f"payload found in {model.__name__}"


def _qr_messages(smtp_server) -> list:
    """The account-key QR e-mails to EMAIL (the verification e-mail also goes there)."""
    return [m for m in smtp_server.messages if EMAIL in str(m["To"]) and "QR code" in str(m["Subject"])]


def test_two_devices_keys_qr_sync_and_every_error(live_server, celery_worker, smtp_server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    phone = VaultClient(live_server.url, tmp_path / "phone.json", kdf=FAST_KDF)
    laptop = VaultClient(live_server.url, tmp_path / "laptop.json", kdf=FAST_KDF)

    phone.signup(email=EMAIL, password=PASSWORD, hint="kitchen")
    assert phone.signin(email=EMAIL, password=PASSWORD)["status"] == "account_key_setup_required"
    phone.key_setup(password=PASSWORD)

    wait_for(lambda: len(_qr_messages(smtp_server)) == 1, message="the QR e-mail")
    [message] = _qr_messages(smtp_server)
    payload, text, html = _qr_from_email(message)
    account = Account.objects.get(user__email=EMAIL)
    assert payload.startswith("vaultkey:")
    assert text.count(payload) == 1 and html.count(payload) == 1
    assert account.account_id in text and "Key generation:  1" in text
    assert "Delete every older QR code" in text
    wait_for(lambda: OutboundEmail.objects.filter(status="sent").exists(), message="QR e-mail marked sent")

    with pytest.raises(ClientError) as wrong_signin:
        laptop.signin(email=EMAIL, password="Not-The-Password-1")
    assert wrong_signin.value.code == "invalid_credentials"
    assert laptop.signin(email=EMAIL, password=PASSWORD)["status"] == "owner_verification_required"
    with pytest.raises(ClientError) as wrong_password:
        laptop.verify(password="Not-The-Password-1", payload=payload)
    assert wrong_password.value.code == "wrong_password"
    body = payload[len("vaultkey:") :]
    tampered = "vaultkey:" + body[:-6] + ("A" if body[-6] != "A" else "B") + body[-5:]
    with pytest.raises(ClientError) as damaged:
        laptop.verify(password=PASSWORD, payload=tampered)
    assert damaged.value.code == "payload_tampered"

    challenge = laptop.state["challenge"]
    laptop.verify(password=PASSWORD, payload=payload)
    signature = crypto.ownership_sign(
        account_key=crypto.b64url_decode(laptop.state["account_key"]),
        account_id=account.account_id,
        device_uid=laptop.state["device_uid"],
        challenge=challenge,
    )
    with pytest.raises(ApiError) as replay:
        Api(live_server.url, laptop.state["token"]).call(
            "POST", "devices/verify/", json={"challenge": challenge, "signature": signature}
        )
    assert replay.value.code == "challenge_used"

    phone.add(name="bank", secret="1234-5678")
    laptop.sync()
    assert [i["name"] for i in laptop.items()] == ["bank"]
    laptop.add(name="mail", secret="hunter2-but-longer")
    assert phone.sync() == 1
    assert [i["name"] for i in phone.items()] == ["bank", "mail"]
    backup = laptop.backup_export(tmp_path / "backup.json")

    # What a completed reset does (the resets app owns that flow): new generation, keys obsolete,
    # devices revoked with "account_reset".
    Account.objects.filter(pk=account.pk).update(key_generation=2)
    AccountKeyVerifier.objects.update(obsoleted_at=timezone.now())
    Device.objects.update(revoked_at=timezone.now(), revoked_reason=Device.RevokedReason.ACCOUNT_RESET)
    account.vault_items.all().delete()

    with pytest.raises(ClientError) as reset:
        phone.sync()
    assert reset.value.code == "account_reset"
    assert phone.state["items"] == {} and "account_key" not in phone.state

    assert phone.signin(email=EMAIL, password=PASSWORD)["status"] == "account_key_setup_required"
    phone.key_setup(password=PASSWORD)
    wait_for(lambda: len(_qr_messages(smtp_server)) == 2, message="the new QR e-mail")
    new_message = _qr_messages(smtp_server)[-1]
    new_payload, new_text, _ = _qr_from_email(new_message)
    assert "Key generation:  2" in new_text and new_payload != payload

    tablet = VaultClient(live_server.url, tmp_path / "tablet.json", kdf=FAST_KDF)
    tablet.signin(email=EMAIL, password=PASSWORD)
    with pytest.raises(ClientError) as obsolete:
        tablet.verify(password=PASSWORD, payload=payload)
    assert obsolete.value.code == "qr_obsolete"
    assert "generation 1" in str(obsolete.value) and "generation 2" in str(obsolete.value)

    with pytest.raises(ClientError) as old_backup:
        phone.backup_import(backup)
    assert old_backup.value.code == "backup_obsolete"

    secrets = [p.encode() for p in (payload, new_payload)] + [
        crypto.b64url_decode(p[len("vaultkey:") :]) for p in (payload, new_payload)
    ]
    _assert_nowhere_in_database(secrets)
    # Our own logs only: "mail.log" is the test's SMTP server (the recipient's side), which
    # naturally sees the message it receives.
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]
    logged = "".join(r.getMessage() + repr(r.args) + repr(getattr(r, "data", "")) for r in ours)
    for value in (payload, new_payload, payload[len("vaultkey:") :][:40]):
        assert value not in logged
    assert OutboundEmail.objects.filter(kind="api.account_key_qr", status="sent").count() == 2
    assert timezone.now() - OutboundEmail.objects.latest("created_at").created_at < timedelta(minutes=5)
