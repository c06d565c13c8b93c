"""The chat's e-mails: the transcript a customer asks for at the end of a chat."""

from mailer.models import OutboundEmail
from mailer.registry import email_kind
from mailer.rendering import email_message, email_render

from .models import Chat
from .selectors import chat_transcript_lines
from .services import TRANSCRIPT_KIND


@email_kind(TRANSCRIPT_KIND, label="Chat transcript", keep_body=True)
def transcript_email_render(email: OutboundEmail):
    """The transcript of an ended chat (messages that looked like passwords hidden)."""
    chat = Chat.objects.filter(pk=(email.context or {}).get("chat_id")).first()
    if chat is None:
        return None
    rendered = email_render(
        "chat/email/transcript",
        {"chat": chat, "lines": chat_transcript_lines(chat=chat, customer_label="You")},
    )
    return email_message(to=email.to, rendered=rendered)
