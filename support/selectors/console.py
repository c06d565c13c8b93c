"""Reads for the console (accounts, tickets, audit trail) and the customer's ticket page.

Every console read names the columns it loads (`only`) so that secret columns — password
hash, hint, verifier keys, device token hashes, vault ciphertext, e-mail bodies — are never
even fetched, and uses a fixed number of queries whatever the account holds.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Count, F, Prefetch, Q, QuerySet

from accounts.ids import account_id_is_valid, account_id_normalise
from accounts.models import Account, Device, LicenseChange, SecurityEvent, User
from accounts.roles import SUPPORT_GROUPS
from accounts.second_factors import FACTOR_TYPES, second_factor_summary
from mailer.models import OutboundEmail
from resets.models import ResetRequest, ResetRequestEvent

from ..models import SupportAuditEvent, Ticket, TicketMessage, ticket_number_parse

ACCOUNT_COLUMNS = (
    "id",
    "account_id",
    "key_generation",
    "created_at",
    "closed_at",
    "closed_by__id",
    "closed_by__email",
    "user__id",
    "user__email",
    "user__is_active",
    "user__last_login",
    "user__date_joined",
    "license__id",
    "license__plan",
    "license__status",
    "license__seats",
    "license__starts_at",
    "license__expires_at",
)
HISTORY_LIMIT = 50


def _accounts() -> QuerySet[Account]:
    return Account.objects.select_related("user", "license", "closed_by").only(*ACCOUNT_COLUMNS)


@dataclass
class SearchResult:
    query: str
    kind: str = ""  # "email", "account_id", "ticket" or "" (nothing recognised)
    accounts: list[Account] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)


def console_search(query: str) -> SearchResult:
    """Find accounts and tickets by e-mail, account ID or ticket number, using indexes only.

    E-mail addresses are stored lower-cased (the user manager and ticket service lower-case
    them), so an exact match on the lower-cased query hits the unique index; no
    case-insensitive scan of the users table.
    """
    query = query.strip()[:254]
    result = SearchResult(query=query)
    if not query:
        return result
    if "@" in query:
        email = query.lower()
        result.kind = "email"
        result.accounts = list(_accounts().filter(user__email=email))
        result.tickets = list(_tickets().filter(email=email)[:50])
        return result
    ticket_pk = ticket_number_parse(query)
    normalised = account_id_normalise(query)
    if account_id_is_valid(normalised):
        result.kind = "account_id"
        result.accounts = list(_accounts().filter(account_id=normalised))
    if ticket_pk is not None and (not result.accounts or query.upper().startswith("T")):
        result.kind = result.kind or "ticket"
        result.tickets = list(_tickets().filter(pk=ticket_pk))
        for ticket in result.tickets:
            if ticket.account is not None and ticket.account not in result.accounts:
                result.accounts.append(ticket.account)
    return result


def console_account(account_id: str) -> Account | None:
    """Return the account with `account_id` (user and licence loaded, no secret columns)."""
    return _accounts().filter(account_id=account_id).first()


@dataclass
class AccountDossier:
    """Everything the console shows about one account, loaded in a fixed number of queries."""

    account: Account
    email_verified: bool
    license_history: list[LicenseChange]
    devices: list[Device]
    reset_requests: list[ResetRequest]
    emails: list[OutboundEmail]
    security_events: list[SecurityEvent]
    tickets: list[Ticket]
    audit: list[SupportAuditEvent]
    # Kinds and dates only (accounts.second_factors): never a secret, and no way to remove one.
    second_factors: list[dict]


def account_dossier(account: Account) -> AccountDossier:
    """Load the console's account view; 9 queries whatever the account holds."""
    email_verified = EmailAddress.objects.filter(
        user_id=account.user_id, email=account.user.email, verified=True
    ).exists()
    history = list(
        LicenseChange.objects.filter(license__account=account)
        .select_related("changed_by")
        .only(
            "plan",
            "status",
            "seats",
            "starts_at",
            "expires_at",
            "changed_at",
            "reason",
            "changed_by__id",
            "changed_by__email",
        )[:HISTORY_LIMIT]
    )
    # Signed-in devices first, then the most recently signed out: each sign-out and sign-in
    # again leaves a row, so the list is cut like the others.
    devices = list(
        Device.objects.filter(account=account)
        .only(
            "name", "platform", "created_at", "authorized_at", "last_seen_at", "revoked_at", "revoked_reason"
        )
        .order_by(
            F("revoked_at").desc(nulls_first=True), F("last_seen_at").desc(nulls_last=True), "-created_at"
        )[:HISTORY_LIMIT]
    )
    resets = list(
        ResetRequest.objects.filter(account=account)
        .only(
            "state",
            "created_at",
            "expires_at",
            "emailed_at",
            "opened_at",
            "finished_at",
            "ip",
            "cooling_off_until",
            "user_agent",
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ResetRequestEvent.objects.select_related("actor").only(
                    "reset_request_id", "state", "created_at", "ip", "actor__id", "actor__email"
                ),
            )
        )[:HISTORY_LIMIT]
    )
    emails = list(
        OutboundEmail.objects.filter(account=account)
        .only("kind", "to", "subject", "status", "attempts", "created_at", "sent_at", "updated_at")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    events = list(
        SecurityEvent.objects.filter(account=account)
        .only("type", "created_at", "ip", "user_agent", "details")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    tickets = list(
        _tickets()
        .filter(Q(account=account) | Q(email=account.user.email))
        .order_by("-created_at")[:HISTORY_LIMIT]
    )
    audit = list(
        SupportAuditEvent.objects.filter(account=account)
        .exclude(action=SupportAuditEvent.Action.ACCOUNT_VIEWED)
        .select_related("actor")
        .only("action", "created_at", "details", "actor__id", "actor__email")[:HISTORY_LIMIT]
    )
    return AccountDossier(
        account=account,
        email_verified=email_verified,
        license_history=history,
        devices=devices,
        reset_requests=resets,
        emails=emails,
        security_events=events,
        tickets=tickets,
        audit=audit,
        second_factors=second_factor_summary(account.user),
    )


def _tickets() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("assigned_to", "account", "account__user").only(
        "email",
        "subject",
        "category",
        "status",
        "source",
        "created_at",
        "updated_at",
        "assigned_to__id",
        "assigned_to__email",
        "account__id",
        "account__account_id",
        "account__user__id",
        "account__user__email",
    )


def ticket_queue(*, status: str = "", assigned_to=None, unassigned: bool = False) -> QuerySet[Ticket]:
    """Tickets for the queue: open ones (new first) unless a status is asked for."""
    tickets = _tickets()
    tickets = tickets.filter(status=status) if status else tickets.exclude(status=Ticket.Status.SOLVED)
    if assigned_to is not None:
        tickets = tickets.filter(assigned_to=assigned_to)
    if unassigned:
        tickets = tickets.filter(assigned_to__isnull=True)
    return tickets.order_by("-updated_at", "-id")


def ticket_counts() -> dict[str, int]:
    """Number of tickets per status."""
    rows = Ticket.objects.values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in Ticket.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def ticket_for_console(pk: int) -> Ticket | None:
    """Return the ticket with every message (notes included) and its authors."""
    return (
        _tickets()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=TicketMessage.objects.select_related("author").only(
                    "ticket_id", "kind", "body", "created_at", "author__id", "author__email"
                ),
            )
        )
        .first()
    )


def ticket_for_customer(pk: int) -> Ticket | None:
    """Return the ticket a help-page link or session points at, if it exists."""
    return Ticket.objects.filter(pk=pk).first()


def staff_second_factors() -> list[dict]:
    """Each support staff member and whether a second factor is enrolled (supervisors' view)."""
    staff = list(support_staff())
    enrolled = set(
        Authenticator.objects.filter(user__in=staff, type__in=FACTOR_TYPES).values_list("user_id", flat=True)
    )
    return [{"email": user.email, "enrolled": user.pk in enrolled} for user in staff]


def support_staff() -> QuerySet[User]:
    """Active staff in a support group, by address (who a ticket may be assigned to)."""
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__name__in=SUPPORT_GROUPS)
        .distinct()
        .order_by("email")
    )


def audit_events(*, actor_email: str = "") -> QuerySet[SupportAuditEvent]:
    """The console's audit trail, newest first, optionally only one staff member's actions."""
    events = SupportAuditEvent.objects.select_related("actor", "account", "ticket").only(
        "action", "created_at", "details", "ip", "actor__email", "account__account_id", "ticket__id"
    )
    if actor_email:
        events = events.filter(actor__email=actor_email)
    return events


def ticket_public_messages(ticket: Ticket) -> QuerySet[TicketMessage]:
    """The messages a customer may see: never internal notes."""
    return ticket.messages.exclude(kind=TicketMessage.Kind.NOTE).order_by("created_at", "id")
