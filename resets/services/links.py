"""A reset link's life after the e-mail: looking its token up, opening, cancelling, expiring."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, SecurityEvent, User
from accounts.services import security_event_record
from core.origin import Origin

from ..models import ResetRequest
from ..selectors import reset_request_by_cancel_token_hash, reset_request_by_token_hash
from ..tokens import RESET, default_token_generator
from .requests import _state_move, reset_event_record

# --- Links ----------------------------------------------------------------------------


def reset_request_for_token(*, token: str, purpose: str = RESET) -> ResetRequest | None:
    """Return the request a link token belongs to, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    token_hash = default_token_generator.token_hash(token)
    lookup = reset_request_by_token_hash if purpose == RESET else reset_request_by_cancel_token_hash
    reset_request = lookup(token_hash)
    if reset_request is None:
        return None
    if not default_token_generator.token_check(
        token=token, purpose=purpose, account_pk=reset_request.account_id, nonce=reset_request.nonce
    ):
        return None
    return reset_request


def reset_request_open(*, reset_request: ResetRequest, origin: Origin | None = None) -> None:
    """Record the first opening of the reset link."""
    if _state_move(
        reset_request=reset_request,
        from_states=[ResetRequest.State.REQUESTED, ResetRequest.State.EMAILED],
        to_state=ResetRequest.State.OPENED,
        opened_at=timezone.now(),
    ):
        reset_event_record(reset_request=reset_request, state=ResetRequest.State.OPENED, origin=origin)


@transaction.atomic
def reset_cancel(
    *, reset_request: ResetRequest, origin: Origin | None = None, via: str, actor: User | None = None
) -> bool:
    """Cancel a pending request ("this wasn't me" link, the app, support); False if not pending."""
    # Lock order everywhere: account row, then reset request rows (no deadlock with recording).
    Account.objects.select_for_update().filter(pk=reset_request.account_id).first()
    if not _state_move(
        reset_request=reset_request,
        from_states=ResetRequest.PENDING_STATES,
        to_state=ResetRequest.State.CANCELLED,
        finished_at=timezone.now(),
    ):
        return False
    reset_event_record(
        reset_request=reset_request,
        state=ResetRequest.State.CANCELLED,
        origin=origin,
        actor=actor,
        details={"via": via},
    )
    security_event_record(
        account=reset_request.account,
        type=SecurityEvent.Type.RESET_CANCELLED,
        origin=origin,
        details={"reset_request": reset_request.pk, "via": via},
    )
    return True


def reset_requests_cancel_all(
    *, account: Account, via: str, origin: Origin | None = None, actor: User | None = None
) -> int:
    """Cancel every pending request of the account (closed, or its address changed); return how many."""
    pending = ResetRequest.objects.select_related("account__user").filter(
        account=account, state__in=ResetRequest.PENDING_STATES
    )
    return sum(reset_cancel(reset_request=r, origin=origin, via=via, actor=actor) for r in pending)


@transaction.atomic
def reset_backup_record(*, reset_request: ResetRequest, item_count: int, origin: Origin | None = None):
    """Audit the download of the encrypted vault backup from the reset link page."""
    ResetRequest.objects.filter(pk=reset_request.pk).update(backup_downloaded_at=timezone.now())
    security_event_record(
        account=reset_request.account,
        type=SecurityEvent.Type.BACKUP_DOWNLOADED,
        origin=origin,
        details={
            "reset_request": reset_request.pk,
            "generation": reset_request.account.key_generation,
            "items": item_count,
        },
    )


# --- Housekeeping (beat) ----------------------------------------------------------------


def reset_requests_expire(*, now: datetime | None = None) -> int:
    """Mark every pending request whose link has expired as expired, with its event row."""
    now = now or default_token_generator._now()
    stale = ResetRequest.objects.filter(state__in=ResetRequest.PENDING_STATES, expires_at__lte=now)
    expired = 0
    for reset_request in stale.only("pk", "state")[:1000]:
        with transaction.atomic():
            if _state_move(
                reset_request=reset_request,
                from_states=ResetRequest.PENDING_STATES,
                to_state=ResetRequest.State.EXPIRED,
                finished_at=now,
            ):
                reset_event_record(reset_request=reset_request, state=ResetRequest.State.EXPIRED, at=now)
                expired += 1
    return expired
