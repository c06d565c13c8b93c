"""Re-sending the reset e-mail from a chat, at the customer's request (issue 19).

It goes to the account's own address. With OWNER_PROOF_REQUIRED_FOR["reset_email"] on, the agent
needs an owner proof approved in this very chat: one asked in another chat or in a ticket, or by
another agent, does not count.
"""

import pytest
from django.urls import reverse

from chat.models import Chat, ChatEvent, ChatMessage
from chat.services import RESET_EMAIL_SENT
from mailer.models import OutboundEmail
from proofs.models import OwnerProof
from proofs.tests.factories import app_for, proof_approved
from resets.services import LINK_KIND, REQUEST_KIND
from support.models import SupportAuditEvent

from .factories import AgentFactory, ChatFactory

pytestmark = pytest.mark.django_db

CONFIRMED = {"reason": "Customer asked in the chat", "confirm": "on"}


@pytest.fixture
def app(customer_account):
    return app_for(customer_account)


@pytest.fixture
def chat(agent, customer_account):
    """A signed-in customer's chat, picked up by `agent`."""
    return ChatFactory(
        status=Chat.Status.ACTIVE,
        agent=agent,
        email=customer_account.user.email,
        user=customer_account.user,
        account=customer_account,
    )


def _reset_emails(account) -> list[str]:
    return list(OutboundEmail.objects.filter(kind__in=[LINK_KIND, REQUEST_KIND]).values_list("to", flat=True))


def _send(client, chat, data=CONFIRMED):
    return client.post(reverse("chat_agent:reset_email", args=[chat.public_id]), data)


def _required(settings, on=True):
    settings.OWNER_PROOF_REQUIRED_FOR = {"reset_email": on, "licence_change": False, "account_close": False}


def test_with_the_setting_off_the_agent_sends_it_to_the_accounts_own_address(
    settings, agent_client, chat, customer_account
):
    _required(settings, on=False)
    response = _send(agent_client, chat, {**CONFIRMED, "email": "attacker@example.com"})
    assert response.status_code == 302
    assert _reset_emails(customer_account) == [customer_account.user.email]
    assert chat.messages.filter(sender=ChatMessage.Sender.SYSTEM, body=RESET_EMAIL_SENT).exists()
    assert ChatEvent.objects.filter(chat=chat, action=ChatEvent.Action.RESET_EMAIL_SENT).exists()
    audit = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.RESET_STARTED)
    assert audit.details["conversation"] == f"chat:{chat.public_id}" and "owner_proof" not in audit.details


def test_with_the_setting_on_and_no_proof_the_chat_refuses_and_offers_to_ask(
    settings, agent_client, chat, customer_account, app
):
    _required(settings)
    response = _send(agent_client, chat)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This action needs an owner proof first" in page
    assert "Ask the customer to prove it is them" in page
    assert reverse("chat_agent:owner_proof", args=[chat.public_id]) in page
    assert "Customer asked in the chat" in page  # the reason typed is kept
    assert _reset_emails(customer_account) == []
    assert not chat.messages.filter(body=RESET_EMAIL_SENT).exists()


def test_with_the_setting_on_a_proof_approved_in_this_chat_lets_it_through(
    settings, agent_client, agent, chat, customer_account, app
):
    _required(settings)
    proof = proof_approved(app=app, agent=agent, kind="chat", ref=chat.public_id)
    assert _send(agent_client, chat).status_code == 302
    assert _reset_emails(customer_account) == [customer_account.user.email]
    audit = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.RESET_STARTED)
    assert audit.details["owner_proof"] == str(proof.public_id)


@pytest.mark.parametrize("where", ["another_chat", "a_ticket", "the_account_page", "another_agent"])
def test_a_proof_from_elsewhere_does_not_count(
    settings, agent_client, agent, chat, customer_account, app, where
):
    from support.tests.factories import TicketFactory

    _required(settings)
    if where == "another_chat":
        other = ChatFactory(account=customer_account, email=customer_account.user.email)
        proof_approved(app=app, agent=agent, kind="chat", ref=other.public_id)
    elif where == "a_ticket":
        proof_approved(app=app, agent=agent, kind="ticket", ref=TicketFactory(account=customer_account).pk)
    elif where == "the_account_page":
        proof_approved(app=app, agent=agent, kind="account", ref=customer_account.account_id)
    else:
        proof_approved(app=app, agent=AgentFactory(), kind="chat", ref=chat.public_id)
    assert _send(agent_client, chat).status_code == 403
    assert _reset_emails(customer_account) == []


def test_a_chat_without_an_account_has_no_owner_to_send_to(agent_client, agent):
    chat = ChatFactory(status=Chat.Status.ACTIVE, agent=agent, email="typed@example.com")
    page = agent_client.get(reverse("chat_agent:transcript", args=[chat.public_id])).content.decode()
    assert "Send the reset e-mail" not in page
    response = agent_client.post(
        reverse("chat_agent:reset_email", args=[chat.public_id]), CONFIRMED, follow=True
    )
    assert "not linked to an account: there is no owner to send it to" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_the_agent_confirms_and_gives_a_reason_first(agent_client, chat, customer_account):
    assert _send(agent_client, chat, {"reason": "Asked"}).status_code == 400
    assert _send(agent_client, chat, {"confirm": "on"}).status_code == 400
    assert _reset_emails(customer_account) == []


def test_the_transcript_says_when_a_proof_is_needed(settings, agent_client, chat):
    _required(settings)
    page = agent_client.get(reverse("chat_agent:transcript", args=[chat.public_id])).content.decode()
    assert "It needs an owner proof first, asked by you in this chat." in page
    _required(settings, on=False)
    page = agent_client.get(reverse("chat_agent:transcript", args=[chat.public_id])).content.decode()
    assert "It needs an owner proof first" not in page


def test_asking_in_the_chat_binds_the_proof_to_it(agent_client, chat, app):
    agent_client.post(reverse("chat_agent:owner_proof", args=[chat.public_id]))
    proof = OwnerProof.objects.get()
    assert (proof.conversation_kind, proof.conversation_ref) == ("chat", str(chat.public_id))
