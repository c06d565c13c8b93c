"""Read the dev outbox folder (the .eml files written by OutboxFolderBackend)."""

from dataclasses import dataclass
from email import policy
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
        html=html_part.get_content() if html_part else "",
    )


def outbox_list(limit: int = 100) -> list[OutboxMessage]:
    """Return the newest messages of the outbox, newest first."""
    folder = Path(settings.EMAIL_OUTBOX_DIR)
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.glob("*.eml")), reverse=True)[:limit]
    return [m for m in (outbox_read(n) for n in names) if m is not None]
