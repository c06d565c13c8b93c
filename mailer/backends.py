"""Dev e-mail backend: each message becomes an .eml file in EMAIL_OUTBOX_DIR."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class OutboxFolderBackend(BaseEmailBackend):
    """Write each message to `<EMAIL_OUTBOX_DIR>/<timestamp>-<uuid>.eml`."""

    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
            (folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
        return len(email_messages)
