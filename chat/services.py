"""Every write of the live chat. Each one records who did it and pushes the change after commit.

Nothing here reads or writes a password, hint, key or vault item: an agent in a chat has the
support console's powers and no more (the console links out for everything else).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from core.hidden_characters import hidden_characters_strip
from core.origin import Origin
from core.secret_text import looks_like_secret
from mailer.models import OutboundEmail
from mailer.services import email_queue
from proofs.services import ConversationRef, ProofError
from support.permissions import can_use_console
from support.services.console import account_reset_email_send
from support.services.tickets import ticket_create

from . import events, presence
from .models import Chat, ChatEvent, ChatMessage
from .payloads import AGENT_ENDED, CUSTOMER_ENDED, message_payload
from .selectors import chat_identity_verified, chat_transcript_text

# The e-mail kind of this app (declared, with its renderer, in chat/emails.py).
TRANSCRIPT_KIND = "chat.transcript"


class ChatError(Exception):
    """A chat action that was refused, with a code for scripts and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _push_chat(chat: Chat, payload: dict) -> None:
    group = events.chat_group(chat.public_id)
    transaction.on_commit(lambda: events.group_push(group, {"chat": str(chat.public_id), **payload}))


def _push_queue_changed() -> None:
    transaction.on_commit(lambda: events.group_push(events.AGENTS_GROUP, {"type": "queue"}))


def _system_message(chat: Chat, text: str) -> ChatMessage:
    message = ChatMessage.objects.create(chat=chat, sender=ChatMessage.Sender.SYSTEM, body=text)
    _push_chat(chat, {"type": "message", "message": message_payload(message)})
    return message


def _status_announce(chat: Chat, text: str, **extra) -> None:
    """Tell both sides that the chat's status changed: a system line saying `text`, then the status."""
    _system_message(chat, text)
    _push_chat(chat, {"type": "status", "status": chat.status, **extra})


def chat_event_record(
    *, chat: Chat, action: str, actor=None, origin: Origin | None = None, details: dict | None = None
) -> ChatEvent:
    """Append one action to the chat's audit trail, with where it came from."""
    return ChatEvent.objects.create(
        chat=chat, action=action, actor=actor, details=details or {}, **ChatEvent.origin_columns(origin)
    )


@transaction.atomic
def chat_start(*, name: str, email: str, user=None, origin: Origin | None = None) -> Chat:
    """Open a chat in the queue; a signed-in customer chats as their own address and account.

    Signed out, the chat is linked to no account whatever address is typed (not proven).
    """
    name = " ".join(name.split())[: settings.CHAT_NAME_MAX_CHARS]
    if user is not None and user.is_authenticated:
        email = user.email
    else:
        user = None
    email = email.strip()
    if not name:
        raise ChatError("name_required", "Please tell us your name.")
    try:
        validate_email(email)
    except ValidationError:
        raise ChatError("email_invalid", "Please enter a valid e-mail address.")
    # Linked to an account only when the identity is proven (signed in): a typed address proves
    # nothing, and agents would otherwise treat a stranger as the account's owner.
    account = getattr(user, "account", None) if user is not None else None
    chat = Chat.objects.create(
        name=name, email=email, user=user, account=account, ip=origin.ip if origin else None
    )
    chat_event_record(chat=chat, action=ChatEvent.Action.STARTED, actor=user, origin=origin)
    _push_queue_changed()
    return chat


def _clean_body(body: str) -> str:
    body = hidden_characters_strip(body, multiline=True).strip()
    if not body:
        raise ChatError("empty", "Type a message first.")
    if len(body) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise ChatError(
            "too_long", f"Messages can be at most {settings.CHAT_MESSAGE_MAX_CHARS} characters long."
        )
    return body


@transaction.atomic
def chat_message_post(
    *,
    chat: Chat,
    sender: str,
    body: str,
    author=None,
    confirmed: bool = False,
    origin: Origin | None = None,
) -> ChatMessage:
    """Store a customer's or an agent's message and push it to everyone in the chat.

    A customer's message that looks like a password is refused unless they confirmed it
    after the warning; then it is stored flagged, hidden from e-mails and tickets, and audited.
    """
    body = _clean_body(body)
    chat = Chat.objects.select_for_update().get(pk=chat.pk)
    if chat.status == Chat.Status.CLOSED:
        raise ChatError("closed", "This chat has ended.")
    if sender == ChatMessage.Sender.AGENT:
        if chat.status != Chat.Status.ACTIVE or author is None or chat.agent_id != author.pk:
            raise ChatError("not_yours", "Only the agent who picked up this chat can write in it.")
    elif sender != ChatMessage.Sender.CUSTOMER:
        raise ChatError("bad_sender", "Unknown sender.")
    if chat.messages.count() >= settings.CHAT_MESSAGES_PER_CHAT_MAX:
        raise ChatError("chat_full", "This chat is too long to continue. Please open a ticket instead.")
    flagged = sender == ChatMessage.Sender.CUSTOMER and looks_like_secret(body)
    if flagged and not confirmed:
        raise ChatError(
            "looks_like_password",
            "This looks like a password. We will never ask for it: please don't send it.",
        )
    message = ChatMessage.objects.create(
        chat=chat, sender=sender, author=author, body=body, flagged_secret=flagged
    )
    if flagged:
        chat_event_record(
            chat=chat,
            action=ChatEvent.Action.SECRET_FLAGGED,
            actor=author,
            origin=origin,
            details={"message_id": message.pk},
        )
    presence.typing_clear(chat_id=chat.pk, senders=(sender,))  # what they were typing has arrived
    _push_chat(chat, {"type": "message", "message": message_payload(message)})
    return message


def chat_typing(*, chat: Chat, sender: str) -> None:
    """Tell the other side that `sender` is typing (pushed now, and kept briefly for polling).

    Nobody is told anything about an ended chat (a consumer's `chat` may predate the end).
    """
    if Chat.objects.filter(pk=chat.pk, status=Chat.Status.CLOSED).exists():
        return
    presence.typing_mark(chat_id=chat.pk, sender=sender)
    events.group_push(
        events.chat_group(chat.public_id), {"type": "typing", "chat": str(chat.public_id), "sender": sender}
    )


@transaction.atomic
def chat_pick_up(*, chat: Chat, agent, origin: Origin | None = None) -> Chat | None:
    """Give a waiting chat to `agent`; return None when another agent got it first.

    One conditional UPDATE decides: of two agents clicking at once, exactly one wins.
    """
    if not can_use_console(agent):
        raise ChatError("forbidden", "Only support agents can pick up chats.")
    now = timezone.now()
    won = Chat.objects.filter(pk=chat.pk, status=Chat.Status.WAITING, agent__isnull=True).update(
        status=Chat.Status.ACTIVE, agent=agent, picked_up_at=now
    )
    if not won:
        return None
    chat = Chat.objects.select_related("account", "agent", "user").get(pk=chat.pk)
    chat_event_record(chat=chat, action=ChatEvent.Action.PICKED_UP, actor=agent, origin=origin)
    _status_announce(chat, "A support agent has joined the chat.")
    _push_queue_changed()
    return chat


@transaction.atomic
def chat_close(*, chat: Chat, actor=None, by_customer: bool = False, origin: Origin | None = None) -> Chat:
    """End a chat (the customer, its agent, or any agent for a chat still waiting)."""
    chat = Chat.objects.select_for_update().get(pk=chat.pk)
    if chat.status == Chat.Status.CLOSED:
        return chat
    if not by_customer:
        if not can_use_console(actor):
            raise ChatError("forbidden", "Only support agents can close chats.")
        if chat.status == Chat.Status.ACTIVE and chat.agent_id != actor.pk:
            raise ChatError("not_yours", "Only the agent who picked up this chat can close it.")
    chat.status = Chat.Status.CLOSED
    chat.closed_at = timezone.now()
    chat.save(update_fields=["status", "closed_at"])
    presence.typing_clear(chat_id=chat.pk, senders=(ChatMessage.Sender.CUSTOMER, ChatMessage.Sender.AGENT))
    chat_event_record(
        chat=chat,
        action=ChatEvent.Action.CLOSED,
        actor=actor,
        origin=origin,
        details={"by_customer": by_customer},
    )
    _status_announce(chat, CUSTOMER_ENDED if by_customer else AGENT_ENDED)
    _push_queue_changed()
    return chat


def ticket_create_from_chat(*, email: str, subject: str, message: str, account, origin: Origin | None):
    """Open a support ticket through the support app (a seam the chat tests replace)."""
    return ticket_create(
        email=email,
        subject=subject,
        message=message,
        category=settings.CHAT_TICKET_CATEGORY,
        account=account,
        origin=origin,
        source="chat",
    )


@transaction.atomic
def chat_ticket_create(*, chat: Chat, agent, origin: Origin | None = None):
    """Turn a chat into a support ticket that keeps the whole transcript; return the ticket."""
    chat = Chat.objects.select_for_update(of=("self",)).select_related("account").get(pk=chat.pk)
    if not can_use_console(agent) or chat.agent_id != agent.pk:
        raise ChatError("not_yours", "Only the agent who picked up this chat can turn it into a ticket.")
    if chat.ticket_id is not None:
        raise ChatError("already_converted", "This chat is already a ticket.")
    ticket = ticket_create_from_chat(
        email=chat.email,
        subject=f"Chat with {chat.name} on {date_format(chat.created_at, 'j M Y')}",
        message=chat_transcript_text(chat=chat),
        account=chat.account if chat_identity_verified(chat) else None,
        origin=origin,
    )
    chat.ticket = ticket
    chat.converted_at = timezone.now()
    chat.save(update_fields=["ticket", "converted_at"])
    chat_event_record(
        chat=chat,
        action=ChatEvent.Action.CONVERTED,
        actor=agent,
        origin=origin,
        details={"ticket_id": ticket.pk},
    )
    _status_announce(
        chat,
        f"This conversation is now ticket {ticket.number}. We will answer it by e-mail at {chat.email}.",
        ticket_created=True,
    )
    return ticket


@transaction.atomic
def chat_transcript_email(*, chat: Chat, origin: Origin | None = None) -> OutboundEmail:
    """E-mail the transcript of an ended chat to the chat's own address, once."""
    claimed = Chat.objects.filter(
        pk=chat.pk, status=Chat.Status.CLOSED, transcript_emailed_at__isnull=True
    ).update(transcript_emailed_at=timezone.now())
    if not claimed:
        chat.refresh_from_db()
        if chat.status != Chat.Status.CLOSED:
            raise ChatError("not_ended", "End the chat first; then we can e-mail you the transcript.")
        raise ChatError("already_sent", "The transcript was already e-mailed.")
    chat.refresh_from_db()
    email = email_queue(
        to=chat.email, kind=TRANSCRIPT_KIND, account=chat.account, context={"chat_id": chat.pk}
    )
    chat_event_record(
        chat=chat, action=ChatEvent.Action.TRANSCRIPT_EMAILED, origin=origin, details={"email_id": email.pk}
    )
    return email


RESET_EMAIL_SENT = "We have sent the reset e-mail to your account's own address. It can take a few minutes."


@transaction.atomic
def chat_reset_email_send(*, chat: Chat, agent, reason: str, origin: Origin | None = None) -> str:
    """Re-send the reset e-mail (or start a reset) of the chat's account, at the customer's request.

    Only a chat linked to an account (the customer was signed in) has an owner to send it to; the
    e-mail goes to the account's own address (support's console service). When
    `OWNER_PROOF_REQUIRED_FOR["reset_email"]` is on, the agent needs an owner proof approved in
    this chat: a proof asked in another chat or ticket does not count. Return the audit action.
    """
    if not can_use_console(agent):
        raise ChatError("forbidden", "Only support agents can send a reset e-mail.")
    if chat.account_id is None:
        raise ChatError(
            "no_account", "This chat is not linked to an account: there is no owner to send it to."
        )
    try:
        action = account_reset_email_send(
            account=chat.account,
            actor=agent,
            reason=reason,
            ticket=chat.ticket,
            conversation=ConversationRef.of("chat", chat.public_id),
            origin=origin,
        )
    except ProofError as exc:
        raise ChatError(exc.code, exc.detail) from exc
    chat_event_record(
        chat=chat,
        action=ChatEvent.Action.RESET_EMAIL_SENT,
        actor=agent,
        origin=origin,
        details={"audit": action},
    )
    _system_message(chat, RESET_EMAIL_SENT)
    return action


def chat_viewed_record(*, chat: Chat, agent, origin: Origin | None = None) -> ChatEvent:
    """Audit that an agent opened a chat's transcript."""
    return chat_event_record(chat=chat, action=ChatEvent.Action.VIEWED, actor=agent, origin=origin)
