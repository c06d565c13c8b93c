"""The JSON shapes that the HTTP endpoints and the WebSockets send to browsers."""

from django.utils import timezone
from django.utils.dateformat import format as date_format

from support.models import ticket_number_format

from .models import Chat, ChatMessage
from .selectors import (
    TIME_FORMAT,
    account_console_url,
    account_lookup_url,
    chat_identity_verified,
    ticket_console_url,
)

# System notices are stored as the customer reads them; the agent reads these instead.
CUSTOMER_ENDED = "You ended the chat. You can have the transcript e-mailed to you."
AGENT_ENDED = "The agent ended the chat. You can have the transcript e-mailed to you."
_AGENT_WORDING = {
    CUSTOMER_ENDED: "The customer ended the chat.",
    AGENT_ENDED: "You ended the chat.",
}


def message_payload(message: ChatMessage) -> dict:
    payload = {
        "id": message.id,
        "sender": message.sender,
        "body": message.body,
        "flagged": message.flagged_secret,
        "created_at": message.created_at.isoformat(),
        "time": date_format(timezone.localtime(message.created_at), TIME_FORMAT),
    }
    if message.sender == ChatMessage.Sender.SYSTEM and message.body in _AGENT_WORDING:
        payload["agent_body"] = _AGENT_WORDING[message.body]
    return payload


def chat_payload_for_customer(chat: Chat) -> dict:
    return {
        "id": str(chat.public_id),
        "status": chat.status,
        "name": chat.name,
        "email": chat.email,
        "ticket_created": chat.ticket_id is not None,
        "transcript_emailed": chat.transcript_emailed_at is not None,
    }


def chat_payload_for_agent(chat: Chat, *, agent=None) -> dict:
    now = timezone.now()
    return {
        "id": str(chat.public_id),
        "status": chat.status,
        "name": chat.name,
        "email": chat.email,
        "signed_in": chat_identity_verified(chat),
        "account_id": chat.account.account_id if chat.account_id else None,
        "account_url": account_console_url(chat.account) if chat.account_id else None,
        "lookup_url": account_lookup_url(chat.email),
        "waiting_seconds": int(((chat.picked_up_at or now) - chat.created_at).total_seconds()),
        "created_at": chat.created_at.isoformat(),
        "mine": agent is not None and chat.agent_id == agent.pk,
        "ticket_id": chat.ticket_id,
        "ticket_number": ticket_number_format(chat.ticket_id) if chat.ticket_id else None,
        "ticket_url": ticket_console_url(chat.ticket_id) if chat.ticket_id else None,
    }
