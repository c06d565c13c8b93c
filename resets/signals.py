"""What resets does when something below it changes: an account's address changed."""

from django.dispatch import receiver

from accounts.email_change import email_address_changed
from accounts.services import account_closed


@receiver(email_address_changed)
def pending_resets_cancel(sender, *, account, via: str, origin=None, **kwargs) -> int:
    """Links already sent went to the other address: cancel every pending reset request."""
    from .services import reset_requests_cancel_all

    return reset_requests_cancel_all(account=account, via=via, origin=origin)


@receiver(account_closed)
def pending_resets_cancel_on_close(sender, *, account, actor=None, origin=None, **kwargs) -> int:
    """A closed account cannot be reset: cancel every pending reset request."""
    from .services import reset_requests_cancel_all

    return reset_requests_cancel_all(account=account, via="account_closed", origin=origin, actor=actor)
