"""Owner proofs for support (issue 19): the agent asks, the customer answers, the console shows it.

The customer answers from the app (or the e-mailed code).
Through a live server, the real worker and a real SMTP server.
"""

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, SecurityEvent
from accounts.tests.factories import AccountFactory, totp_enroll
from chat.tests.factories import ChatFactory
from mailer.models import OutboundEmail
from proofs.models import OwnerProof, OwnerProofEvent
from support.permissions import console_groups_ensure
from support.tests.factories import TicketFactory
from tests.waiting import wait_for
from vaultclient import ClientError, VaultClient, crypto
from vaultclient.api import Api, ApiError

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Saffron-Kettle-Orbit-31"
EMAIL = "owner@example.com"
FAST_KDF = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


@pytest.fixture
def agent_client(django_user_model):
    groups = console_groups_ensure()
    agent = django_user_model.objects.create_user(email="maya@staff.example", is_staff=True)
    agent.groups.add(groups["agent"])
    totp_enroll(agent)  # staff need a second factor (issue 15)
    client = Client()
    client.force_login(agent)
    return client


def _phone(live_server, smtp_server, tmp_path) -> VaultClient:
    phone = VaultClient(live_server.url, tmp_path / "phone.json", kdf=FAST_KDF)
    phone.signup(email=EMAIL, password=PASSWORD)
    phone.signin(email=EMAIL, password=PASSWORD, device_name="Pixel 8")
    phone.key_setup(password=PASSWORD)
    return phone


def _portal_logs(caplog) -> str:
    """Everything the portal and the worker logged (the test SMTP server's own debug log excluded)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))


def _account_page(agent_client, account) -> str:
    return agent_client.get(reverse("support:account", args=[account.account_id])).content.decode()


def test_app_path_end_to_end(live_server, celery_worker, smtp_server, tmp_path, agent_client, caplog):
    caplog.set_level(logging.DEBUG)
    phone = _phone(live_server, smtp_server, tmp_path)
    account = Account.objects.get(user__email=EMAIL)

    # The agent asks, and tries to pick the weakest path: the server picks the app anyway.
    agent_client.post(reverse("support:account_owner_proof", args=[account.account_id]), {"method": "email"})
    proof = OwnerProof.objects.get()
    assert proof.method == "app" and proof.strength == "strong"
    page = _account_page(agent_client, account)
    assert proof.short_code in page and "Waiting for the customer" in page

    [pending] = phone.support_requests()
    assert pending["code"] == proof.short_code and pending["agent"] == "Maya"

    # A device token without the account key cannot approve (a signature with any other key fails).
    thief = Api(live_server.url, phone.state["token"])
    forged = crypto.support_proof_sign(
        account_key=b"\x07" * 32,
        account_id=account.account_id,
        proof_id=pending["id"],
        code=pending["code"],
        device_uid=phone.state["device_uid"],
    )
    with pytest.raises(ApiError) as stolen:
        thief.call(
            "POST",
            f"support-requests/{pending['id']}/approve/",
            json={"code": pending["code"], "signature": forged},
        )
    assert stolen.value.code == "signature_invalid"
    proof.refresh_from_db()
    assert proof.status == "pending"

    assert "Approved" in phone.support_approve(proof.short_code)
    proof.refresh_from_db()
    assert proof.status == "approved" and proof.short_code == "" and proof.device_name == "Pixel 8"
    page = _account_page(agent_client, account)
    assert "Owner proven with the app on '<bdi>Pixel 8</bdi>'" in page and "strong" in page
    assert pending["code"] not in page
    assert SecurityEvent.objects.filter(account=account, type="support_proof").count() == 1
    assert list(OwnerProofEvent.objects.values_list("action", flat=True)) == [
        "requested",
        "wrong_answer",
        "approved",
    ]

    # Replayed: the same signed approval again.
    good = crypto.support_proof_sign(
        account_key=crypto.b64url_decode(phone.state["account_key"]),
        account_id=account.account_id,
        proof_id=pending["id"],
        code=pending["code"],
        device_uid=phone.state["device_uid"],
    )
    with pytest.raises(ApiError) as replay:
        thief.call(
            "POST",
            f"support-requests/{pending['id']}/approve/",
            json={"code": pending["code"], "signature": good},
        )
    assert replay.value.code == "proof_used"
    assert phone.support_requests() == []
    assert pending["code"] not in _portal_logs(caplog)


def test_refused_expired_and_cross_conversation(
    live_server, celery_worker, smtp_server, tmp_path, agent_client
):
    phone = _phone(live_server, smtp_server, tmp_path)
    account = Account.objects.get(user__email=EMAIL)
    chat = ChatFactory(account=account, email=EMAIL)
    ticket = TicketFactory(account=account, email=EMAIL)

    agent_client.post(reverse("chat_agent:owner_proof", args=[chat.public_id]))
    agent_client.post(reverse("support:ticket_owner_proof", args=[ticket.pk]))
    chat_proof = OwnerProof.objects.get(conversation_kind="chat")
    ticket_proof = OwnerProof.objects.get(conversation_kind="ticket")

    # Cross-conversation: the chat's signed approval posted to the ticket's request.
    key = crypto.b64url_decode(phone.state["account_key"])
    chat_signature = crypto.support_proof_sign(
        account_key=key,
        account_id=account.account_id,
        proof_id=str(chat_proof.public_id),
        code=ticket_proof.short_code,
        device_uid=phone.state["device_uid"],
    )
    api = Api(live_server.url, phone.state["token"])
    with pytest.raises(ApiError) as crossed:
        api.call(
            "POST",
            f"support-requests/{ticket_proof.public_id}/approve/",
            json={"code": ticket_proof.short_code, "signature": chat_signature},
        )
    assert crossed.value.code == "signature_invalid"

    # Refused from the app: the chat transcript says so.
    phone.support_refuse(chat_proof.short_code)
    transcript = agent_client.get(reverse("chat_agent:transcript", args=[chat.public_id])).content.decode()
    assert "Proof refused" in transcript

    # Expired: the app can no longer approve it, the ticket page says expired.
    code = ticket_proof.short_code
    OwnerProof.objects.filter(pk=ticket_proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ClientError) as gone:
        phone.support_approve(code)
    assert gone.value.code == "no_such_request"
    with pytest.raises(ApiError) as expired:
        api.call(
            "POST",
            f"support-requests/{ticket_proof.public_id}/approve/",
            json={"code": code, "signature": chat_signature},
        )
    assert expired.value.code == "proof_expired"
    page = agent_client.get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    assert "Proof expired" in page and code not in page


def test_email_path_end_to_end(live_server, celery_worker, smtp_server, agent_client, caplog):
    caplog.set_level(logging.DEBUG)
    account = AccountFactory(user__email="noapp@example.com")  # no app, no second factor
    agent_client.post(reverse("support:account_owner_proof", args=[account.account_id]))
    proof = OwnerProof.objects.get()
    assert proof.method == "email" and proof.strength == "weak"

    wait_for(lambda: len(smtp_server.messages) == 1, message="the code e-mail")
    [message] = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    code = re.search(r"Your code: (\d{8})", text).group(1)
    row = OutboundEmail.objects.get(kind="proofs.owner_code")
    assert (
        code not in str(row.context)
        and code not in row.text_body + row.html_body
        and code not in proof.secret_hash
    )

    customer = Client()
    url = reverse("proofs:answer", args=[proof.public_id])
    assert customer.post(url, {"code": "00000000" if code != "00000000" else "11111111"}).status_code == 403
    assert customer.post(url, {"code": code}).status_code == 200
    proof.refresh_from_db()
    assert proof.status == "approved" and proof.secret_hash == ""
    assert customer.post(url, {"code": code}).status_code == 410  # single use

    page = _account_page(agent_client, account)
    assert "Owner proven with a code e-mailed" in page and "weak" in page and code not in page
    assert code not in _portal_logs(caplog)
