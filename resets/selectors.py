"""Reads of reset requests shared by the account page, the app API and the support console."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import ResetRequest, ResetRequestEvent


def reset_request_pending(account) -> ResetRequest | None:
    """Return the account's live reset request (not finished, not expired), if any."""
    return (
        ResetRequest.objects.filter(
            account=account, state__in=ResetRequest.PENDING_STATES, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-id")
        .first()
    )


def reset_requests_with_events(account) -> QuerySet[ResetRequest]:
    """Every reset request of the account, newest first, with its state changes prefetched."""
    return ResetRequest.objects.filter(account=account).prefetch_related(
        Prefetch("events", queryset=ResetRequestEvent.objects.select_related("actor"))
    )
