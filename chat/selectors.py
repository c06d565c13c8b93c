"""Reads shared by the customer panel, the agent console and the consumers."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode

from .models import Chat, ChatMessage

# The site's one date format (templates write `|date:"j M Y, H:i"`), in UTC.
TIME_FORMAT = "j M Y, H:i"
MESSAGES_PAGE = 200
# The browser session remembers its chat under this key (the chat survives page loads).
CHAT_SESSION_KEY = "chat_public_id"


def chat_get(*, public_id) -> Chat | None:
    """Return the chat with this public id, with its account and agent, or None."""
    return Chat.objects.select_related("account", "agent", "user").filter(public_id=public_id).first()


def chat_queue() -> QuerySet[Chat]:
    """Return the chats waiting for an agent, longest-waiting first.

    With the account and the user: the agent's payload shows both (`chat_identity_verified`).
    """
    return (
        Chat.objects.filter(status=Chat.Status.WAITING)
        .select_related("account", "user")
        .order_by("created_at", "id")
    )


def chats_of_agent(*, agent) -> QuerySet[Chat]:
    """Return the open chats an agent has picked up, oldest first."""
    return (
        Chat.objects.filter(status=Chat.Status.ACTIVE, agent=agent)
        .select_related("account", "user")
        .order_by("picked_up_at", "id")
    )


def chat_messages(*, chat: Chat, after_id: int = 0) -> list[ChatMessage]:
    """Return the chat's messages newer than `after_id`, oldest first."""
    return list(chat.messages.filter(id__gt=after_id).order_by("id")[:MESSAGES_PAGE])


def account_console_url(account) -> str:
    """Return the support console's page for an account."""
    return reverse("support:account", args=[account.account_id])


def ticket_console_url(ticket_id: int) -> str:
    """Return the support console's page for a ticket (a chat turned into one links to it)."""
    return reverse("support:ticket", args=[ticket_id])


def account_lookup_url(email: str) -> str:
    """Return the console search for an address (a chat or ticket whose sender is not proven)."""
    return reverse("support:search") + "?" + urlencode({"q": email})


def ticket_form_url() -> str:
    """Return the help page where a customer opens a ticket (offered when no agent is online)."""
    return reverse("help:ticket_new")


def chat_identity_verified(chat: Chat) -> bool:
    """Say whether the customer was signed in as the chat's e-mail address when starting it."""
    return chat.user_id is not None and chat.user.email.lower() == chat.email.lower()


REDACTED = "[hidden: this message looked like a password]"
SENDER_LABELS = {
    ChatMessage.Sender.CUSTOMER: "Customer",
    ChatMessage.Sender.AGENT: "Support",
    ChatMessage.Sender.SYSTEM: "Notice",  # as the panels call these lines
}


def chat_transcript_lines(*, chat: Chat, customer_label: str | None = None) -> list[dict]:
    """Return the transcript as (who, when, text) rows; messages flagged as secrets are hidden."""
    labels = {**SENDER_LABELS, ChatMessage.Sender.CUSTOMER: customer_label or chat.name}
    return [
        {
            "who": labels[message.sender],
            "at": message.created_at,
            "text": REDACTED if message.flagged_secret else message.body,
        }
        for message in chat.messages.order_by("id")
    ]


def chat_transcript_text(*, chat: Chat) -> str:
    """Return the transcript as plain text, one message per paragraph."""
    return "\n\n".join(
        f"[{date_format(line['at'], TIME_FORMAT)} UTC] {line['who']}:\n{line['text']}"
        for line in chat_transcript_lines(chat=chat)
    )
