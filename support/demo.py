"""Demo data for the support console: a ticket from the demo customer."""

from django.db import transaction

from accounts.models import Account

from .models import Ticket
from .services.tickets import ticket_create

DEMO_SUBJECT = "I lost my phone and my laptop won't unlock"


@transaction.atomic
def support_demo_seed(*, customer_email: str) -> bool:
    """Open the demo customer's ticket unless it exists; return True when it was created now."""
    if Ticket.objects.filter(email=customer_email, subject=DEMO_SUBJECT).exists():
        return False
    ticket_create(
        email=customer_email,
        subject=DEMO_SUBJECT,
        message=(
            "Hi, my phone was stolen yesterday and my laptop asks for my password, which I can't "
            "remember. Is there any way to get my passwords back?"
        ),
        category=Ticket.Category.LOCKED_OUT,
        account=Account.objects.filter(user__email=customer_email).first(),
    )
    return True
