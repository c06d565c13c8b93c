"""Tickets: opened by customers, answered by agents (replies e-mailed by the worker), notes.

Customers answer from the help pages ("My requests" or the e-mailed link) or by replying to a
ticket e-mail: both inbound mail paths (the provider's webhook, the local SMTP listener) call
`ticket_reply_inbound`.
"""

import enum
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from accounts.models import User
from core.addresses import email_normalise
from core.hidden_characters import hidden_characters_strip
from core.origin import Origin
from core.ratelimit import ip_rate_limit_hit, rate_limit_hit
from mailer.services import email_queue

from ..models import SupportAuditEvent, Ticket, TicketMessage
from ..tokens import reply_token_from_address, reply_token_hash, reply_token_make
from .audit import support_audit_record

# The e-mail kinds of this module (declared, with their renderers, in support/emails.py).
EMAIL_TICKET_OPENED = "support.ticket_opened"
EMAIL_TICKET_REPLY = "support.ticket_reply"
EMAIL_INBOUND_REFUSED = "support.inbound_refused"

Action = SupportAuditEvent.Action


def ticket_rate_limited(*, ip: str | None, email: str) -> bool:
    """Count a ticket attempt; True when this IP or this address has opened too many lately."""
    by_ip = ip_rate_limit_hit(scope="ticket-ip", ip=ip, rate=settings.SUPPORT_TICKET_RATE_PER_IP)
    by_email = rate_limit_hit(
        scope="ticket-email", key=email_normalise(email), rate=settings.SUPPORT_TICKET_RATE_PER_EMAIL
    )
    return by_ip or by_email


def _ticket_event_record(
    *, ticket: Ticket, action: str, actor: User | None, origin: Origin | None, account=None, **details
) -> None:
    """Record a ticket action in the console trail only (never among the customer's security events)."""
    support_audit_record(
        actor=actor,
        action=action,
        ticket=ticket,
        account=account,
        details={"ticket": ticket.number, **details},
        origin=origin,
        customer_visible=False,
    )


def _body(text: str) -> str:
    """A message as stored: without the controls that could reorder the thread around it."""
    return hidden_characters_strip(text, multiline=True)


def _touch(ticket: Ticket, **fields) -> None:
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.save(update_fields=list(fields))


@transaction.atomic
def ticket_create(
    *,
    email: str,
    subject: str,
    message: str,
    category: str,
    account=None,
    origin: Origin | None = None,
    source: str = "web",
) -> Ticket:
    """Open a ticket with the customer's first message and e-mail them its number.

    `account` is set only when the sender is known to own it (signed in, or a chat of a
    signed-in customer); otherwise agents see the ticket next to the account of the same
    address, marked as unverified. Limits on size and rate are the caller's job (forms).
    """
    if category not in Ticket.Category.values:
        category = Ticket.Category.OTHER
    ticket = Ticket.objects.create(
        email=email_normalise(email),
        account=account,
        subject=hidden_characters_strip(" ".join(subject.split()))[:200] or "(no subject)",
        category=category,
        source=source,
        reply_nonce=secrets.token_hex(16),
        ip=origin.ip if origin else None,
    )
    token = reply_token_make(ticket_id=ticket.pk, reply_nonce=ticket.reply_nonce)
    ticket.reply_token_hash = reply_token_hash(token)
    ticket.save(update_fields=["reply_token_hash"])
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=_body(message))
    email_queue(to=ticket.email, kind=EMAIL_TICKET_OPENED, account=account, context={"ticket_id": ticket.pk})
    return ticket


@transaction.atomic
def ticket_reply(*, ticket: Ticket, agent: User, body: str, origin: Origin | None = None) -> TicketMessage:
    """Answer the customer: the worker e-mails the reply; the ticket waits on the customer."""
    message = TicketMessage.objects.create(
        ticket=ticket, kind=TicketMessage.Kind.REPLY, author=agent, body=_body(body)
    )
    _touch(ticket, status=Ticket.Status.WAITING, assigned_to=ticket.assigned_to or agent)
    email_queue(
        to=ticket.email,
        kind=EMAIL_TICKET_REPLY,
        account=ticket.account,
        context={"ticket_id": ticket.pk, "message_id": message.pk},
        created_by=agent,
    )
    _ticket_event_record(
        ticket=ticket, action=Action.TICKET_REPLIED, actor=agent, origin=origin, account=ticket.account
    )
    return message


@transaction.atomic
def ticket_note_add(*, ticket: Ticket, agent: User, body: str, origin: Origin | None = None) -> TicketMessage:
    """Add an internal note: agents see it, the customer never does."""
    note = TicketMessage.objects.create(
        ticket=ticket, kind=TicketMessage.Kind.NOTE, author=agent, body=_body(body)
    )
    _touch(ticket)
    _ticket_event_record(ticket=ticket, action=Action.TICKET_NOTE_ADDED, actor=agent, origin=origin)
    return note


@transaction.atomic
def ticket_update(
    *, ticket: Ticket, agent: User, status: str, assigned_to: User | None, origin: Origin | None = None
) -> Ticket:
    """Change a ticket's status and assignee."""
    changes = {
        "status": [ticket.status, status],
        "assigned_to": [ticket.assigned_to_id, assigned_to.pk if assigned_to else None],
    }
    _touch(ticket, status=status, assigned_to=assigned_to)
    _ticket_event_record(ticket=ticket, action=Action.TICKET_UPDATED, actor=agent, origin=origin, **changes)
    return ticket


def ticket_reply_rate_limited(*, ticket: Ticket) -> bool:
    """Count a customer reply; True when the ticket got too many lately."""
    return rate_limit_hit(
        scope="ticket-reply", key=str(ticket.pk), rate=settings.SUPPORT_REPLY_RATE_PER_TICKET
    )


@transaction.atomic
def ticket_customer_reply(*, ticket: Ticket, body: str) -> TicketMessage:
    """Add the customer's message; the ticket goes back to the agents' queue as new."""
    message = TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=_body(body))
    _touch(ticket, status=Ticket.Status.NEW)
    return message


@transaction.atomic
def ticket_customer_close(*, ticket: Ticket, user: User | None, origin: Origin | None = None) -> Ticket:
    """The customer marks their request solved (from "My requests" or the e-mailed link)."""
    if ticket.status != Ticket.Status.SOLVED:
        _touch(ticket, status=Ticket.Status.SOLVED)
        _ticket_event_record(
            ticket=ticket,
            action=Action.TICKET_CLOSED_BY_CUSTOMER,
            actor=user,
            origin=origin,
            account=ticket.account,
        )
    return ticket


# --- replies by e-mail ----------------------------------------------------------------------


class InboundOutcome(enum.StrEnum):
    """What became of one inbound e-mail (logged by the inbound paths, asserted by tests)."""

    ADDED = "added"
    UNKNOWN = "unknown"  # no reply address, an unknown or a forged token: refused politely
    CLOSED = "closed"  # the ticket is solved: refused politely
    TOO_LARGE = "too_large"  # raw message or its text over the limits: refused politely
    EMPTY = "empty"  # nothing left once quotes and signature are stripped: refused politely
    RATE_LIMITED = "rate_limited"  # too many replies from this sender or to this ticket
    IGNORED = "ignored"  # an auto-reply or a message without a sender: no answer (no mail loops)


REFUSAL_TEXT = {
    InboundOutcome.UNKNOWN: "we could not match it to one of your requests",
    InboundOutcome.CLOSED: "the request is marked as solved",
    InboundOutcome.TOO_LARGE: "it is too long or its attachments are too big",
    InboundOutcome.EMPTY: "we found no new text in it (only the quoted conversation)",
    InboundOutcome.RATE_LIMITED: "we received too many e-mails from your address in a short time",
}


def reply_text_extract(*, text: str, html: str = "") -> str:
    """The customer's new text: quoted history and signature stripped (mail-parser-reply)."""
    if not text.strip() and html:
        text = strip_tags(html.replace("<br>", "\n").replace("</p>", "\n\n"))
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ""
    replies = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"]).read(text=text).replies
    if not replies or replies[0].headers:  # it starts with "On ... wrote:": nothing new above it
        return ""
    lines = [line for line in replies[0].body.splitlines() if not line.startswith(">")]
    return "\n".join(lines).strip()


def _inbound_refuse(
    *, sender: str, outcome: InboundOutcome, ticket: Ticket | None, subject: str
) -> InboundOutcome:
    """Tell the sender, politely and at most a few times an hour, that nothing was added."""
    if not rate_limit_hit(
        scope="ticket-inbound-refusal", key=sender, rate=settings.SUPPORT_INBOUND_REFUSAL_RATE_PER_SENDER
    ):
        context = {"reason": str(outcome), "subject": " ".join(subject.split())[:200]}
        if ticket is not None:
            context["ticket_id"] = ticket.pk
        email_queue(to=sender, kind=EMAIL_INBOUND_REFUSED, account=None, context=context)
    return outcome


@transaction.atomic
def ticket_reply_inbound(
    *,
    recipients: list[str],
    sender: str,
    subject: str = "",
    text: str = "",
    html: str = "",
    size: int = 0,
    auto_submitted: bool = False,
) -> InboundOutcome:
    """Add an e-mailed reply to the ticket of its reply address (the one entry of both mail paths).

    The token in `reply+<token>@...` is the proof: it is only in the ticket's e-mails. An
    unknown, forged or closed ticket's token, an over-size or empty message gets a polite
    e-mail back and adds nothing; auto-replies get nothing (no mail loops).
    """
    sender = email_normalise(sender or "")
    if not sender or "@" not in sender or auto_submitted:
        return InboundOutcome.IGNORED
    tokens = [t for t in (reply_token_from_address(r) for r in recipients) if t]
    ticket = None
    if tokens:
        ticket = (
            Ticket.objects.select_for_update()
            .filter(reply_token_hash__in=[reply_token_hash(t) for t in tokens])
            .exclude(reply_token_hash="")
            .first()
        )
    if ticket is None:
        return _inbound_refuse(sender=sender, outcome=InboundOutcome.UNKNOWN, ticket=None, subject=subject)
    if ticket.status == Ticket.Status.SOLVED:
        return _inbound_refuse(sender=sender, outcome=InboundOutcome.CLOSED, ticket=ticket, subject=subject)
    if size > settings.SUPPORT_INBOUND_MAX_BYTES:
        return _inbound_refuse(
            sender=sender, outcome=InboundOutcome.TOO_LARGE, ticket=ticket, subject=subject
        )
    body = reply_text_extract(text=text, html=html)
    if not body:
        return _inbound_refuse(sender=sender, outcome=InboundOutcome.EMPTY, ticket=ticket, subject=subject)
    if len(body) > settings.SUPPORT_MESSAGE_MAX_LENGTH:
        return _inbound_refuse(
            sender=sender, outcome=InboundOutcome.TOO_LARGE, ticket=ticket, subject=subject
        )
    by_sender = rate_limit_hit(
        scope="ticket-inbound-sender", key=sender, rate=settings.SUPPORT_INBOUND_RATE_PER_SENDER
    )
    if by_sender or ticket_reply_rate_limited(ticket=ticket):
        return _inbound_refuse(
            sender=sender, outcome=InboundOutcome.RATE_LIMITED, ticket=ticket, subject=subject
        )
    ticket_customer_reply(ticket=ticket, body=body)
    return InboundOutcome.ADDED
