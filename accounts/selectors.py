"""Reads shared by the account page, the API and the support console."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from core.addresses import email_normalise

from .models import Account, Device, SecurityEvent


def email_key(email: str) -> str:
    """Return an address as every e-mail column stores it (trimmed, lower case), for exact lookups.

    Exact matches use the unique index; `__iexact` would not (UPPER() on PostgreSQL).
    """
    return email_normalise(email)


def account_for_email(email: str) -> Account | None:
    """Return the customer account whose sign-in address is `email`, if any."""
    return Account.objects.select_related("user").filter(user__email=email_key(email)).first()


def account_for_user(user) -> Account | None:
    """Return the customer account of `user` with its licence, or None for staff users."""
    return Account.objects.select_related("user", "license").filter(user=user).first()


def devices_active(account: Account) -> QuerySet[Device]:
    """Devices that can still use the API, most recently seen first."""
    return account.devices.filter(revoked_at__isnull=True).order_by("-last_seen_at", "-created_at")


def devices_recently_active(account: Account, *, days: int = 30) -> QuerySet[Device]:
    """Devices seen in the last `days` days (shown on the reset link page)."""
    since = timezone.now() - timedelta(days=days)
    return devices_active(account).filter(last_seen_at__gte=since)


def security_events_recent(account: Account, *, limit: int = 10) -> QuerySet[SecurityEvent]:
    return account.security_events.order_by("-created_at", "-id")[:limit]
