"""Ticket e-mails, rendered by the worker at send time from ids (their links are never stored)."""

from django.conf import settings
from django.urls import reverse

from mailer.registry import email_kind
from mailer.rendering import email_message, email_render

from .models import Ticket, TicketMessage
from .services.tickets import (
    EMAIL_INBOUND_REFUSED,
    EMAIL_TICKET_OPENED,
    EMAIL_TICKET_REPLY,
    REFUSAL_TEXT,
    InboundOutcome,
)
from .tokens import reply_address, ticket_link_token


def ticket_link(ticket: Ticket) -> str:
    """The "view and reply to your ticket" link, built from the configured site URL."""
    path = reverse("help:ticket_link", args=[ticket.pk, ticket_link_token.make_token(ticket)])
    return f"{settings.SITE_URL}{path}"


def ticket_headers(ticket: Ticket) -> dict:
    """Replies to a ticket e-mail go to the ticket's reply address (support/inbound.py)."""
    return {"Reply-To": reply_address(ticket)}


@email_kind(EMAIL_TICKET_OPENED, label="Ticket confirmation")
def ticket_opened_email(email):
    ticket = Ticket.objects.filter(pk=email.context.get("ticket_id")).first()
    if ticket is None:
        return None
    first = ticket.messages.filter(kind=TicketMessage.Kind.CUSTOMER).order_by("created_at", "id").first()
    rendered = email_render(
        "support/email/ticket_opened",
        {"ticket": ticket, "message": first, "link": ticket_link(ticket)},
    )
    return email_message(to=email.to, rendered=rendered, headers=ticket_headers(ticket))


@email_kind(EMAIL_TICKET_REPLY, label="Ticket reply")
def ticket_reply_email(email):
    message = (
        TicketMessage.objects.select_related("ticket")
        .filter(
            pk=email.context.get("message_id"),
            ticket_id=email.context.get("ticket_id"),
            kind=TicketMessage.Kind.REPLY,
        )
        .first()
    )
    if message is None:
        return None
    ticket = message.ticket
    rendered = email_render(
        "support/email/ticket_reply",
        {"ticket": ticket, "message": message, "link": ticket_link(ticket)},
    )
    return email_message(to=email.to, rendered=rendered, headers=ticket_headers(ticket))


@email_kind(EMAIL_INBOUND_REFUSED, label="Reply by e-mail not added", keep_body=True)
def inbound_refused_email(email):
    """The polite answer to an e-mail that added nothing (unknown token, solved ticket, size...)."""
    context = email.context or {}
    try:
        reason = InboundOutcome(context.get("reason"))
    except ValueError:
        return None
    ticket = Ticket.objects.filter(pk=context["ticket_id"]).first() if context.get("ticket_id") else None
    rendered = email_render(
        "support/email/inbound_refused",
        {
            "reason": str(reason),
            "reason_text": REFUSAL_TEXT.get(reason, "it could not be read"),
            "subject": context.get("subject", ""),
            "ticket": ticket,
            "contact_url": f"{settings.SITE_URL}{reverse('help:ticket_new')}",
        },
    )
    # Auto-Submitted: mail servers and auto-responders do not answer this one (no loops).
    return email_message(to=email.to, rendered=rendered, headers={"Auto-Submitted": "auto-replied"})
