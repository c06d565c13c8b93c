"""Zero knowledge (issue 13): the Account Password never reaches the server, in any API flow.

The reference client (vaultclient) runs every app flow in this process, its HTTP calls routed
into Django's test client and recorded: sign-up, sign-in, account key set-up, a second device's
ownership proof, change of password, QR re-send, the `kdf_upgrade` re-keying, and a reset
completed with what the reset page posts. Then the password, in every form it could travel in
(text, UTF-8 bytes, hex, base64, percent-encoding), must be in no request URL, header or body,
log record, database row, task message or e-mail. And the QR payload, which the server passes
on to the e-mail, cannot be opened with anything the server stores or receives.
"""

import base64
import json
import logging
import urllib.parse

import pytest
from django.apps import apps
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import Account, User
from resets import services as reset_services
from resets.tests.factories import pending_reset
from vaultclient import crypto
from vaultclient.client import VaultClient

pytestmark = pytest.mark.django_db

EMAIL = "zero-knowledge@example.com"
# Non-ASCII, so that its UTF-8 bytes differ from the text (and NFKC matters: "ﬁ" becomes "fi").
PASSWORD = "Ocelot-Quarry-Violín-ﬁne-4471"
NEW_PASSWORD = "Walrus-Ember-Tünnel-9038"
RESET_PASSWORD = "Heron-Glacier-Pöcket-2265"
FAST_QR_KDF = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


def _forms(password: str) -> list[str]:
    """Every way the password could be written into a request, a log line or a row."""
    data = password.encode("utf-8")
    nfkc = crypto.password_bytes(password)
    forms = {password, nfkc.decode(), urllib.parse.quote(password), urllib.parse.quote_plus(password)}
    for raw in (data, nfkc):
        forms |= {
            raw.hex(),
            base64.b64encode(raw).decode(),
            base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            json.dumps(raw.decode())[1:-1],  # JSON's \\u escapes
        }
    return sorted(forms)


class Recorder:
    """A `requests.Session` stand-in: sends the client's calls to the test client and keeps them."""

    def __init__(self):
        self.client = APIClient()
        self.sent: list[str] = []
        self.bodies: list[dict] = []

    def request(self, method, url, *, json=None, params=None, headers=None, timeout=None):
        import json as json_module

        body = json_module.dumps(json) if json is not None else ""
        self.sent.append(f"{method} {url} {headers!r} {body}")
        self.bodies.append(json or {})
        path = urllib.parse.urlsplit(url).path
        extra = {}
        if headers and headers.get("Authorization"):
            extra["HTTP_AUTHORIZATION"] = headers["Authorization"]
        response = self.client.generic(
            method,
            path,
            data=body,
            content_type="application/json",
            QUERY_STRING=urllib.parse.urlencode(params or {}),
            **extra,
        )
        self.sent.append(response.content.decode())
        return response


@pytest.fixture
def recorder():
    return Recorder()


def _client(recorder, tmp_path, name) -> VaultClient:
    client = VaultClient("http://testserver", tmp_path / f"{name}.json", kdf=FAST_QR_KDF)
    original = client._api

    def api():
        instance = original()
        instance.session = recorder
        return instance

    client._api = api
    return client


def _database_text() -> tuple[str, bytes]:
    texts, blobs = [], []
    for model in apps.get_models():
        for row in model.objects.all().values():
            for value in row.values():
                if isinstance(value, (bytes, memoryview)):
                    blobs.append(bytes(value))
                else:
                    texts.append(repr(value))
    return "\n".join(texts), b"\n".join(blobs)


def _emails_text() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, repr(message.to)]
        parts += [content for content, _ in getattr(message, "alternatives", [])]
        parts += [repr(a) for a in message.attachments]
    return "\n".join(parts)


def test_every_api_flow_keeps_the_password_on_the_device(
    recorder, broker, caplog, tmp_path, settings, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    phone, laptop = _client(recorder, tmp_path, "phone"), _client(recorder, tmp_path, "laptop")

    def step(call):
        with django_capture_on_commit_callbacks(execute=True):
            result = call()
        broker.run_pending()
        return result

    step(lambda: phone.signup(email=EMAIL, password=PASSWORD, hint="a cat in a quarry"))
    assert (
        step(lambda: phone.signin(email=EMAIL, password=PASSWORD))["status"] == "account_key_setup_required"
    )
    step(lambda: phone.key_setup(password=PASSWORD))
    step(lambda: phone.add(name="bank", secret="1234-5678"))
    payload = _payload_mailed()

    signed_in = step(lambda: laptop.signin(email=EMAIL, password=PASSWORD))
    assert signed_in["status"] == "owner_verification_required"
    step(lambda: laptop.verify(password=PASSWORD, payload=payload))
    step(laptop.sync)
    assert [i["name"] for i in laptop.items()] == ["bank"]
    step(lambda: phone.change_password(current_password=PASSWORD, new_password=NEW_PASSWORD))
    step(lambda: phone.resend_qr(password=NEW_PASSWORD))

    # Raised defaults: the next sign-in asks for the re-keying, which the same password does.
    settings.AUTH_KDF_DEFAULT = {"iterations": 4, "memory_kib": 65_536, "parallelism": 1}
    assert step(lambda: phone.signin(email=EMAIL, password=NEW_PASSWORD))["kdf_upgrade"] is True
    step(lambda: phone.change_password(current_password=NEW_PASSWORD, new_password=NEW_PASSWORD))
    assert step(lambda: phone.signin(email=EMAIL, password=NEW_PASSWORD))["kdf_upgrade"] is False
    assert User.objects.get(email=EMAIL).kdf_iterations == 4
    settings.AUTH_KDF_DEFAULT = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1}

    # A reset, completed with what the reset page posts (derived on the device, fresh salt).
    account = Account.objects.get(user__email=EMAIL)
    _, token, _ = step(lambda: pending_reset(account))
    reset_auth_key, reset_kdf = VaultClient.new_credentials(password=RESET_PASSWORD, email=EMAIL)
    recorder.sent.append(json.dumps({"auth_key": reset_auth_key, "kdf": reset_kdf.as_dict()}))
    step(
        lambda: reset_services.reset_complete(
            token=token, auth_key=reset_auth_key, kdf=_server_kdf(reset_kdf), hint="heron"
        )
    )
    assert step(lambda: phone.signin(email=EMAIL, password=RESET_PASSWORD))["status"] == (
        "account_key_setup_required"
    )

    # The flows ran: auth keys and the QR payloads went through; the passwords went nowhere.
    sent = "\n".join(recorder.sent)
    assert '"auth_key"' in sent and '"new_auth_key"' in sent and "vaultkey:" in sent
    database_text, database_bytes = _database_text()
    emails = _emails_text()
    assert "vaultkey:" in emails
    task_messages = repr([(m["task"], m["body"], m["headers"]) for m in broker.messages])
    assert broker.messages
    logs = caplog.text + "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    for password in (PASSWORD, NEW_PASSWORD, RESET_PASSWORD):
        for form in _forms(password):
            assert form not in sent, ("request", form)
            assert form not in logs, ("log", form)
            assert form not in database_text, ("database", form)
            assert form not in task_messages, ("task message", form)
            assert form not in emails, ("e-mail", form)
        for raw in (password.encode(), crypto.password_bytes(password)):
            assert raw not in database_bytes


def _payload_mailed() -> str:
    body = next(m.body for m in reversed(mail.outbox) if "vaultkey:" in m.body)
    return body[body.index("vaultkey:") :].split()[0]


def _server_kdf(kdf: crypto.AuthKdf):
    from accounts.kdf import KdfParams

    return KdfParams.from_data(kdf.as_dict())


def test_the_qr_payload_opens_with_nothing_the_server_stores_or_receives(
    recorder, tmp_path, django_capture_on_commit_callbacks
):
    phone = _client(recorder, tmp_path, "phone")
    with django_capture_on_commit_callbacks(execute=True):
        phone.signup(email=EMAIL, password=PASSWORD)
        phone.signin(email=EMAIL, password=PASSWORD)
        phone.key_setup(password=PASSWORD)
    payload = _payload_mailed()
    assert crypto.payload_open(payload, PASSWORD).account_id  # the password does open it

    user = User.objects.get(email=EMAIL)

    def strings(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, str) and not value.startswith("vaultkey:"):
            yield value

    # Everything the server received (auth key, salt, verifier, hint, device fields ...) ...
    received = {text for body in recorder.bodies for text in strings(body)}
    assert any(len(text) == 43 for text in received), "the auth key was sent"
    stored_hash = user.password
    # ... and everything it stores about the user: none of it is the password.
    candidates = received | {
        stored_hash,
        stored_hash.rsplit("$", 1)[-1],
        user.kdf_salt,
        user.account.password_hint,
        EMAIL,
    }
    for candidate in candidates:
        with pytest.raises(crypto.PayloadError) as refused:
            crypto.payload_open(payload, candidate)
        assert refused.value.code == "wrong_password", candidate
