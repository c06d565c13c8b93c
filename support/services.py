"""Every write of the support console, tickets and knowledge base.

Console actions write two audit rows: a `SupportAuditEvent` (who, when, what, for the
support team) and a `SecurityEvent` of type SUPPORT_ACTION on the account (what the
customer sees in their history). Nothing here reads or writes a password, a hint, a key,
a verifier, a device token or vault data.
"""

import importlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Account, Device, License, SecurityEvent, User
from accounts.services import (
    devices_revoke_all,
    license_history_record,
    security_event_record,
    user_sessions_end,
)
from mailer.services import email_queue
from portal.ratelimit import rate_limit_hit
from portal.request_meta import client_ip
from resets.selectors import reset_request_pending

from .models import Article, ArticleVote, SupportAuditEvent, Ticket, TicketMessage

EMAIL_TICKET_OPENED = "support_ticket_opened"
EMAIL_TICKET_REPLY = "support_ticket_reply"


# --- audit -------------------------------------------------------------------------------


def support_audit_record(
    *,
    actor: User,
    action: str,
    account: Account | None = None,
    ticket: Ticket | None = None,
    details: dict | None = None,
    request: HttpRequest | None = None,
    customer_visible: bool = True,
) -> SupportAuditEvent:
    """Record a console action; account actions also land in the account's security events."""
    event = SupportAuditEvent.objects.create(
        actor=actor,
        action=action,
        account=account,
        ticket=ticket,
        details=details or {},
        ip=client_ip(request) if request is not None else None,
    )
    if account is not None and customer_visible:
        security_event_record(
            account=account,
            type=SecurityEvent.Type.SUPPORT_ACTION,
            request=request,
            details={"action": action, "by": "support", "agent": actor.pk, **(details or {})},
        )
    return event


def account_view_record(*, account: Account, actor: User, request: HttpRequest | None = None) -> None:
    """Note that `actor` opened the account in the console (support-side audit only)."""
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.ACCOUNT_VIEWED,
        account=account,
        request=request,
        customer_visible=False,
    )


# --- account actions ---------------------------------------------------------------------


def _reset_services():
    """The reset app's services (issue 4): looked up at call time so tests can replace them."""
    return importlib.import_module("resets.services")


@transaction.atomic
def account_reset_email_send(*, account: Account, actor: User, request: HttpRequest | None = None) -> str:
    """Re-send the pending reset e-mail, or start a reset, always to the account's own address.

    There is deliberately no address parameter: the target is `account.user.email`.
    Return the audit action taken (RESET_EMAIL_RESENT or RESET_STARTED).
    """
    resets = _reset_services()
    pending = reset_request_pending(account)
    if pending is not None and resets.reset_request_resend(reset_request=pending, actor=actor) is not None:
        action, details = SupportAuditEvent.Action.RESET_EMAIL_RESENT, {"reset_request": pending.pk}
    else:
        resets.reset_request_create(email=account.user.email, request=request, actor=actor)
        action, details = SupportAuditEvent.Action.RESET_STARTED, {}
    support_audit_record(actor=actor, action=action, account=account, details=details, request=request)
    return action


@transaction.atomic
def account_sessions_end(*, account: Account, actor: User, request: HttpRequest | None = None) -> int:
    """Sign the owner out of every web session (app devices stay signed in)."""
    count = user_sessions_end(user=account.user)
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.SESSIONS_ENDED,
        account=account,
        details={"sessions": count},
        request=request,
    )
    return count


@transaction.atomic
def license_change(
    *,
    account: Account,
    actor: User,
    plan: str,
    status: str,
    seats: int,
    expires_at: datetime | None,
    reason: str,
    request: HttpRequest | None = None,
) -> License:
    """Change the licence (supervisors only, checked by the view) and write its history."""
    license = License.objects.select_for_update().get(account=account)
    before = {"plan": license.plan, "status": license.status, "seats": license.seats}
    license.plan, license.status, license.seats, license.expires_at = plan, status, seats, expires_at
    license.save()
    license_history_record(license=license, changed_by=actor, reason=reason)
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.LICENSE_CHANGED,
        account=account,
        details={
            "before": before,
            "after": {"plan": plan, "status": status, "seats": seats},
            "expires_at": expires_at.isoformat() if expires_at else None,
            "reason": reason,
        },
        request=request,
    )
    return license


@transaction.atomic
def account_close(*, account: Account, actor: User, reason: str, request: HttpRequest | None = None) -> None:
    """Close the account: the user can no longer sign in, sessions end and devices are signed out.

    Nothing is deleted: the account, its licence and history stay for support and billing.
    """
    account = Account.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.closed_at is not None:
        return
    account.closed_at = timezone.now()
    account.save(update_fields=["closed_at"])
    User.objects.filter(pk=account.user_id).update(is_active=False)
    sessions = user_sessions_end(user=account.user)
    devices = devices_revoke_all(account=account, reason=Device.RevokedReason.SUPPORT)
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.ACCOUNT_CLOSED,
        account=account,
        details={"reason": reason, "sessions": sessions, "devices": devices},
        request=request,
    )


# --- tickets -----------------------------------------------------------------------------


def ticket_rate_limited(*, ip: str | None, email: str) -> bool:
    """Count a ticket attempt; True when this IP or this address has opened too many lately."""
    window = settings.SUPPORT_TICKET_RATE_WINDOW
    by_ip = rate_limit_hit(
        scope="ticket-ip", key=ip or "unknown", rate=(settings.SUPPORT_TICKET_RATE_PER_IP, window)
    )
    by_email = rate_limit_hit(
        scope="ticket-email",
        key=email.strip().lower(),
        rate=(settings.SUPPORT_TICKET_RATE_PER_EMAIL, window),
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
    request=None,
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
        email=email.strip().lower(),
        account=account,
        subject=" ".join(subject.split())[:200] or "(no subject)",
        category=category,
        source=source,
        reply_nonce=secrets.token_hex(16),
        ip=client_ip(request) if request is not None else None,
    )
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=message)
    email_queue(to=ticket.email, kind=EMAIL_TICKET_OPENED, account=account, context={"ticket_id": ticket.pk})
    return ticket


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, agent: User, body: str, request: HttpRequest | None = None
) -> TicketMessage:
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
        request=request,
        customer_visible=False,
    )
    return message


@transaction.atomic
def ticket_note_add(
    *, ticket: Ticket, agent: User, body: str, request: HttpRequest | None = None
) -> TicketMessage:
    """Add an internal note: agents see it, the customer never does."""
    note = TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.NOTE, author=agent, body=body)
    _touch(ticket)
    support_audit_record(
        actor=agent,
        action=SupportAuditEvent.Action.TICKET_NOTE_ADDED,
        ticket=ticket,
        details={"ticket": ticket.number},
        request=request,
        customer_visible=False,
    )
    return note


@transaction.atomic
def ticket_update(
    *, ticket: Ticket, agent: User, status: str, assigned_to: User | None, request: HttpRequest | None = None
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
        request=request,
        customer_visible=False,
    )
    return ticket


def ticket_reply_rate_limited(*, ticket: Ticket) -> bool:
    """Count a customer reply; True when the ticket got too many in the last hour."""
    return rate_limit_hit(
        scope="ticket-reply",
        key=str(ticket.pk),
        rate=(settings.SUPPORT_REPLY_RATE_PER_TICKET, 3600),
    )


@transaction.atomic
def ticket_customer_reply(*, ticket: Ticket, body: str) -> TicketMessage:
    """Add the customer's message; the ticket goes back to the agents' queue as new."""
    message = TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body=body)
    _touch(ticket, status=Ticket.Status.NEW)
    return message


# --- knowledge base ----------------------------------------------------------------------


def article_vote(*, article: Article, visitor: str, helpful: bool, comment: str = "") -> ArticleVote:
    """Record a visitor's answer; a second answer replaces the first (one vote per visitor)."""
    vote, created = ArticleVote.objects.get_or_create(
        article=article, visitor=visitor, defaults={"helpful": helpful, "comment": comment}
    )
    if not created:
        vote.helpful = helpful
        vote.comment = comment or vote.comment
        vote.updated_at = timezone.now()
        vote.save(update_fields=["helpful", "comment", "updated_at"])
    return vote
