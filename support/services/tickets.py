"""Tickets: opened by customers, answered by agents (replies e-mailed by the worker), notes."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.addresses import email_normalise
from core.origin import Origin
from core.ratelimit import rate_limit_hit
from mailer.services import email_queue

from ..models import SupportAuditEvent, Ticket, TicketMessage
from .audit import support_audit_record

# The e-mail kinds of this module (declared, with their renderers, in support/emails.py).
EMAIL_TICKET_OPENED = "support.ticket_opened"
EMAIL_TICKET_REPLY = "support.ticket_reply"


def ticket_rate_limited(*, ip: str | None, email: str) -> bool:
    """Count a ticket attempt; True when this IP or this address has opened too many lately."""
    by_ip = rate_limit_hit(scope="ticket-ip", key=ip or "unknown", rate=settings.SUPPORT_TICKET_RATE_PER_IP)
    by_email = rate_limit_hit(
        scope="ticket-email", key=email_normalise(email), rate=settings.SUPPORT_TICKET_RATE_PER_EMAIL
    )
    return by_ip or by_email


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
        subject=" ".join(subject.split())[:200] or "(no subject)",
        category=category,
        source=source,
        reply_nonce=secrets.token_hex(16),
        ip=origin.ip if origin else None,
    )
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=message)
    email_queue(to=ticket.email, kind=EMAIL_TICKET_OPENED, account=account, context={"ticket_id": ticket.pk})
    return ticket


@transaction.atomic
def ticket_reply(*, ticket: Ticket, agent: User, body: str, origin: Origin | None = None) -> TicketMessage:
    """Answer the customer: the worker e-mails the reply; the ticket waits on the customer."""
    message = TicketMessage.objects.create(
        ticket=ticket, kind=TicketMessage.Kind.REPLY, author=agent, body=body
    )
    _touch(ticket, status=Ticket.Status.WAITING, assigned_to=ticket.assigned_to or agent)
    email_queue(
        to=ticket.email,
        kind=EMAIL_TICKET_REPLY,
        account=ticket.account,
        context={"ticket_id": ticket.pk, "message_id": message.pk},
        created_by=agent,
    )
    support_audit_record(
        actor=agent,
        action=SupportAuditEvent.Action.TICKET_REPLIED,
        ticket=ticket,
        account=ticket.account,
        details={"ticket": ticket.number},
        origin=origin,
        customer_visible=False,
    )
    return message


@transaction.atomic
def ticket_note_add(*, ticket: Ticket, agent: User, body: str, origin: Origin | None = None) -> TicketMessage:
    """Add an internal note: agents see it, the customer never does."""
    note = TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.NOTE, author=agent, body=body)
    _touch(ticket)
    support_audit_record(
        actor=agent,
        action=SupportAuditEvent.Action.TICKET_NOTE_ADDED,
        ticket=ticket,
        details={"ticket": ticket.number},
        origin=origin,
        customer_visible=False,
    )
    return note


@transaction.atomic
def ticket_update(
    *, ticket: Ticket, agent: User, status: str, assigned_to: User | None, origin: Origin | None = None
) -> Ticket:
    """Change a ticket's status and assignee."""
    details = {
        "ticket": ticket.number,
        "status": [ticket.status, status],
        "assigned_to": [ticket.assigned_to_id, assigned_to.pk if assigned_to else None],
    }
    _touch(ticket, status=status, assigned_to=assigned_to)
    support_audit_record(
        actor=agent,
        action=SupportAuditEvent.Action.TICKET_UPDATED,
        ticket=ticket,
        details=details,
        origin=origin,
        customer_visible=False,
    )
    return ticket


def ticket_reply_rate_limited(*, ticket: Ticket) -> bool:
    """Count a customer reply; True when the ticket got too many lately."""
    return rate_limit_hit(
        scope="ticket-reply", key=str(ticket.pk), rate=settings.SUPPORT_REPLY_RATE_PER_TICKET
    )


@transaction.atomic
def ticket_customer_reply(*, ticket: Ticket, body: str) -> TicketMessage:
    """Add the customer's message; the ticket goes back to the agents' queue as new."""
    message = TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=body)
    _touch(ticket, status=Ticket.Status.NEW)
    return message
