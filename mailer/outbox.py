"""Read the dev outbox folder (the .eml files written by OutboxFolderBackend)."""

import base64
import smtplib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    subject: str
    to: str
    date: str
    text: str
    html: str
    reply_to: str = ""
    message_id: str = ""


def _is_safe_name(name: str) -> bool:
    return name.endswith(".eml") and "/" not in name and "\\" not in name and not name.startswith(".")


def outbox_read(name: str) -> OutboxMessage | None:
    """Parse one .eml file of the outbox, or None if there is no such file."""
    if not _is_safe_name(name):
        return None
    path = Path(settings.EMAIL_OUTBOX_DIR) / name
    if not path.is_file():
        return None
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return OutboxMessage(
        name=name,
        subject=str(message["subject"] or ""),
        to=str(message["to"] or ""),
        date=str(message["date"] or ""),
        text=text_part.get_content() if text_part else "",
        html=_inline_images(message, html_part.get_content()) if html_part else "",
        reply_to=str(message["reply-to"] or ""),
        message_id=str(message["message-id"] or ""),
    )


def _inline_images(message: EmailMessage, html: str) -> str:
    """Put each related image (`cid:` in the HTML, as the QR e-mail has) in the page as a data: URL:
    a browser cannot load cid: URLs, a mail app shows them."""
    for part in message.walk():
        content_id = str(part["content-id"] or "").strip("<>")
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_content()).decode()
            html = html.replace(f"cid:{content_id}", f"data:{part.get_content_type()};base64,{data}")
    return html


def outbox_list(limit: int = 100) -> list[OutboxMessage]:
    """Return the newest messages of the outbox, newest first."""
    folder = Path(settings.EMAIL_OUTBOX_DIR)
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.glob("*.eml")), reverse=True)[:limit]
    return [m for m in (outbox_read(n) for n in names) if m is not None]


def outbox_reply_send(message: OutboxMessage, *, body: str) -> None:
    """Answer `message` as its recipient would: the typed text above the quoted original, sent
    over SMTP to its Reply-To through the local inbound listener (INBOUND_SMTP_HOST/PORT).

    Raises OSError when the listener is not running, smtplib.SMTPException when it refuses.
    """
    reply = EmailMessage()
    reply["From"] = message.to
    reply["To"] = message.reply_to
    subject = message.subject
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    if message.message_id:
        reply["In-Reply-To"] = message.message_id
        reply["References"] = message.message_id
    quoted = "\n".join(f"> {line}" if line else ">" for line in message.text.splitlines())
    reply.set_content(f"{body.strip()}\n\nOn {message.date}, the support team wrote:\n{quoted}\n")
    with smtplib.SMTP(settings.INBOUND_SMTP_HOST, settings.INBOUND_SMTP_PORT, timeout=10) as smtp:
        smtp.send_message(reply)
