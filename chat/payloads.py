"""The JSON shapes that the HTTP endpoints and the WebSockets send to browsers."""

from django.utils import timezone

from .models import Chat, ChatMessage
from .selectors import account_console_url, account_lookup_url, chat_identity_verified


def message_payload(message: ChatMessage) -> dict:
    return {
        "id": message.id,
        "sender": message.sender,
        "body": message.body,
        "flagged": message.flagged_secret,
        "created_at": message.created_at.isoformat(),
    }


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
    }
