"""The QR e-mail: built in the worker from the outbox row's ids and the payload handed to its task.

The payload is the kind's transient argument: it travels only in the send task's arguments
(hidden from logs and argsrepr), never in the outbox. The outbox flush leaves QR e-mails
alone, and a send without the payload cancels the e-mail rather than send it empty.
"""

import io
from email.mime.image import MIMEImage

import segno
from django.core.mail import EmailMultiAlternatives

from mailer.models import OutboundEmail
from mailer.registry import email_kind
from mailer.rendering import email_render

from .services.keys import QR_EMAIL_KIND

QR_CONTENT_ID = "account-key-qr"


def qr_png(payload: str) -> bytes:
    """Return the payload as a QR code PNG."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


@email_kind(QR_EMAIL_KIND, label="Account key QR code", transient=("payload",))
def qr_email_message(email: OutboundEmail, *, payload: str) -> EmailMultiAlternatives:
    """Build the text + HTML e-mail with the QR code inline (Content-ID) and its text fallback."""
    context = {**email.context, "payload": payload, "qr_cid": QR_CONTENT_ID}
    rendered = email_render("api/email/account_key_qr", context)
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text, to=[email.to])
    message.attach_alternative(rendered.html, "text/html")
    message.mixed_subtype = "related"
    image = MIMEImage(qr_png(payload), _subtype="png")
    image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
    image.add_header("Content-Disposition", "inline", filename="account-key-qr.png")
    message.attach(image)
    return message
