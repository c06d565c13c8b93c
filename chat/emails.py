"""The chat's e-mails: the transcript a customer asks for at the end of a chat."""

from mailer.rendering import RenderedEmail, email_render

from .models import Chat
from .selectors import chat_transcript_lines


def transcript_email_render(*, chat: Chat) -> RenderedEmail:
    """Render the transcript e-mail (plain text and HTML; messages that looked like passwords hidden)."""
    return email_render(
        "chat/email/transcript",
        {"chat": chat, "lines": chat_transcript_lines(chat=chat, customer_label="You")},
    )
