"""Inbound e-mail: the two edges that hand a reply to `ticket_reply_inbound`.

* Production: the e-mail provider's inbound webhook (Mailgun's route, "forward" to
  `/anymail/mailgun/inbound/`). django-anymail checks the basic-auth secret and the provider's
  signature, then sends the `anymail.signals.inbound` signal, received here.
* Embedded default: `manage.py inbound_smtp` (started by `make run`) runs an aiosmtpd listener on
  loopback; its handler parses the message the same way.

Both read the message as an `AnymailInboundMessage` and call the one service.
"""

import asyncio
import logging

from anymail.inbound import AnymailInboundMessage
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from .services.tickets import InboundOutcome, ticket_reply_inbound
from .tokens import REPLY_LOCAL_PREFIX

log = logging.getLogger(__name__)

AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def _is_automatic(message: AnymailInboundMessage) -> bool:
    """Auto-replies, bounces and mailing lists (RFC 3834): never answered, never added."""
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (message.get("Precedence") or "").strip().lower()
    return auto != "no" or precedence in AUTO_PRECEDENCE or bool(message.get("X-Autoreply"))


def inbound_message_handle(
    message: AnymailInboundMessage, *, recipients: list[str], sender: str, size: int
) -> InboundOutcome:
    """Hand one received message to the ticket service and log what became of it."""
    outcome = ticket_reply_inbound(
        recipients=recipients,
        sender=sender,
        subject=str(message.get("Subject") or ""),
        text=message.text or "",
        html=message.html or "",
        size=size,
        auto_submitted=_is_automatic(message),
    )
    log.info("Inbound e-mail: %s", outcome)
    return outcome


# --- production: the provider's webhook (anymail) ------------------------------------------


def anymail_inbound_received(sender, event, esp_name, **kwargs) -> None:
    """Receiver of `anymail.signals.inbound` (connected in SupportConfig.ready)."""
    message = event.message
    recipients = [message.envelope_recipient] if message.envelope_recipient else []
    recipients += [address.addr_spec for address in (message.to or []) + (message.cc or [])]
    from_address = message.from_email.addr_spec if message.from_email else ""
    try:
        size = len(message.as_bytes())
    except (ValueError, TypeError, LookupError):
        size = settings.SUPPORT_INBOUND_MAX_BYTES + 1  # unreadable: refused as too large
    inbound_message_handle(message, recipients=recipients, sender=from_address, size=size)


# --- embedded default: the local SMTP listener (aiosmtpd) ------------------------------------


class InboundSmtpHandler:
    """aiosmtpd handler: accepts mail for reply addresses only, then calls the service.

    The service runs in a worker thread (the ORM is synchronous), with fresh DB connections.
    """

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not address.lower().startswith(REPLY_LOCAL_PREFIX):  # forged tokens: refused politely later
            return "550 5.1.1 Not a reply address of this portal"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "replace")
        message = AnymailInboundMessage.parse_raw_mime_bytes(data)
        sender = envelope.mail_from or ""
        if message.from_email:
            sender = message.from_email.addr_spec  # the header: what the customer sees as "me"
        outcome = await sync_to_async(_handle_in_thread, thread_sensitive=False)(
            message, recipients=list(envelope.rcpt_tos), sender=sender, size=len(data)
        )
        return f"250 OK {outcome}"


def _handle_in_thread(message, **kwargs) -> InboundOutcome:
    close_old_connections()
    try:
        return inbound_message_handle(message, **kwargs)
    finally:
        close_old_connections()


def inbound_smtp_controller(*, hostname: str, port: int):
    """An aiosmtpd Controller (not started) serving InboundSmtpHandler on hostname:port."""
    from aiosmtpd.controller import Controller

    return Controller(
        InboundSmtpHandler(),
        hostname=hostname,
        port=port,
        data_size_limit=settings.SUPPORT_INBOUND_MAX_BYTES * 2,  # bigger: refused by the service, politely
        loop=asyncio.new_event_loop(),
    )
