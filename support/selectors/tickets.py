""" "My requests": the tickets a signed-in customer may list, open, answer and close."""

from allauth.account.models import EmailAddress
from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import Account, User
from core.addresses import email_normalise

from ..models import Ticket, TicketMessage


def customer_ticket_addresses(user: User) -> list[str]:
    """The user's verified addresses (normalised): tickets opened signed out from them are theirs."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({email_normalise(email) for email in emails})


def customer_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets of the user's account, and those opened signed out from one of their verified
    addresses; each with its last public message (who wrote it, and when)."""
    account = Account.objects.filter(user=user).only("id").first()
    mine = Q(account__isnull=True, email__in=customer_ticket_addresses(user))
    if account is not None:
        mine |= Q(account=account)
    last = TicketMessage.objects.filter(ticket=OuterRef("pk")).exclude(kind=TicketMessage.Kind.NOTE)
    last = last.order_by("-created_at", "-id")
    return (
        Ticket.objects.filter(mine)
        .only("id", "subject", "status", "created_at", "updated_at", "email", "account_id")
        .annotate(
            last_message_at=Subquery(last.values("created_at")[:1]),
            last_message_kind=Subquery(last.values("kind")[:1]),
        )
        .order_by("-updated_at", "-id")
    )


def customer_ticket(user: User, pk: int) -> Ticket | None:
    """One of the user's tickets (as in `customer_tickets`), or None: someone else's is never found."""
    return customer_tickets(user).filter(pk=pk).first()
