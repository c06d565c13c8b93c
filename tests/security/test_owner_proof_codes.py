"""Owner-proof codes after use: in no console page, log record, kept outbox row, task message's
printable form, trail or security event (issue 19).

Every log at DEBUG, every Celery message captured as published (then run, as a worker would).
The e-mailed code rides in one place by design: the send task's transient `code` argument,
shown as "[hidden]"; a worker deletes the message once it ran it.
"""

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent
from accounts.tests.factories import AccountFactory, second_factor_session
from chat.tests.factories import ChatFactory
from mailer.models import OutboundEmail
from proofs.models import OwnerProof, OwnerProofEvent
from proofs.tests.factories import app_for, staff
from support.tests.factories import TicketFactory
from vaultclient import crypto

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    agent = staff("maya@staff.example")
    client = Client()
    client.force_login(agent)
    second_factor_session(client, agent)
    return client


def _console_pages(console, account, ticket, chat) -> str:
    return "".join(
        console.get(url).content.decode()
        for url in (
            reverse("support:account", args=[account.account_id]),
            reverse("support:ticket", args=[ticket.pk]),
            reverse("chat_agent:transcript", args=[chat.public_id]),
            reverse("support:audit"),
        )
    )


def _stored(account) -> str:
    """Everything about the proofs a database dump would show."""
    rows = [
        list(OwnerProof.objects.filter(account=account).values()),
        list(OwnerProofEvent.objects.values("action", "details")),
        list(SecurityEvent.objects.filter(account=account).values("type", "details")),
        [
            (row.subject, row.text_body, row.html_body, row.context, row.last_error)
            for row in OutboundEmail.objects.all()
        ],
    ]
    return repr(rows)


def _logs(caplog) -> str:
    return "\n".join(
        r.getMessage() + (r.exc_text or "") for r in caplog.records if not r.name.startswith("mail.log")
    )


def _printable(messages) -> str:
    return repr(
        [(m["headers"].get("argsrepr"), m["headers"].get("kwargsrepr"), m["headers"]) for m in messages]
    )


def test_the_e_mailed_code_is_nowhere_after_use(console, broker, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    account = AccountFactory(user__email="noapp@example.com")
    ticket = TicketFactory(account=account)
    chat = ChatFactory(account=account, email=account.user.email)
    with django_capture_on_commit_callbacks(execute=True):
        console.post(reverse("support:ticket_owner_proof", args=[ticket.pk]))
    broker.run_pending()
    [message] = mail.outbox
    code = re.search(r"Your code: (\d{8})", message.body).group(1)
    proof = OwnerProof.objects.get()

    # While pending: in the e-mail only (and the send task's hidden argument).
    [send] = [m for m in broker.messages if m["task"] == "mailer.tasks.send_email"]
    assert send["body"][1] == {"code": code} and "[hidden]" in send["headers"]["kwargsrepr"]
    pending_console = _console_pages(console, account, ticket, chat)
    assert code not in pending_console

    customer = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answered = customer.post(reverse("proofs:answer", args=[proof.public_id]), {"code": code})
    assert answered.status_code == 200
    broker.run_pending()
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.APPROVED

    assert code not in _console_pages(console, account, ticket, chat)
    assert code not in customer.get(reverse("proofs:answer", args=[proof.public_id])).content.decode()
    assert code not in _stored(account)
    assert code not in _logs(caplog)
    assert code not in _printable(broker.messages)
    others = [m for m in broker.messages if m is not send]
    assert code not in repr([m["body"] for m in others])


def test_the_apps_comparison_code_is_nowhere_after_use(console, broker, caplog):
    caplog.set_level(logging.DEBUG)
    account = AccountFactory(user__email="owner@example.com")
    app = app_for(account)
    token = "device-token-of-the-pixel"
    from api.authentication import device_token_hash

    app.device.token_hash = device_token_hash(token)
    app.device.save()
    ticket = TicketFactory(account=account)
    chat = ChatFactory(account=account, email=account.user.email)
    console.post(reverse("chat_agent:owner_proof", args=[chat.public_id]))
    proof = OwnerProof.objects.get()
    code = proof.short_code
    assert code in _console_pages(console, account, ticket, chat)  # shown to the agent while pending

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    [listed] = api.get("/api/v1/support-requests/").json()
    assert listed["code"] == code
    signature = crypto.support_proof_sign(
        account_key=app.account_key,
        account_id=account.account_id,
        proof_id=listed["id"],
        code=code,
        device_uid=app.device.device_uid,
    )
    url = f"/api/v1/support-requests/{listed['id']}/approve/"
    assert api.post(url, {"code": code, "signature": signature}, format="json").status_code == 200
    assert (
        api.post(url, {"code": code, "signature": signature}, format="json").json()["error"] == "proof_used"
    )
    broker.run_pending()

    assert api.get("/api/v1/support-requests/").json() == []
    assert code not in _console_pages(console, account, ticket, chat)
    assert code not in _stored(account) and signature not in _stored(account)
    assert code not in _logs(caplog) and signature not in _logs(caplog)
    assert code not in _printable(broker.messages) and code not in repr([m["body"] for m in broker.messages])
