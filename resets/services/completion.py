"""Completing a reset: the one transaction that erases the vault and keeps the account."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.kdf import KdfParams
from accounts.models import Account, AccountKeyVerifier, SecurityEvent, User, VaultItem
from accounts.services import credentials_set, devices_mark_reset, security_event_record, user_sessions_end
from core.origin import Origin
from mailer.services import email_queue

from ..models import ResetRequest
from ..tokens import RESET
from .links import reset_request_for_token
from .requests import (
    COMPLETED_KIND,
    ResetLinkInvalid,
    _state_move,
    reset_event_record,
    reset_request_usable,
)
from .second_factors import (
    COOLED_OFF,
    ResetSecondFactorRequired,
    reset_factor_allows_completion,
    reset_factor_step,
    second_factors_remove_lost,
)


def _vault_delete(account: Account) -> int:
    """Delete every vault item and sync record of the account in ONE statement.

    Nothing references `VaultItem` rows and no signal listens to them, so Django's collector
    takes its fast path: a single DELETE whatever the vault size (a test counts it).
    """
    return VaultItem.objects.filter(account_id=account.pk).delete()[0]


def _verifiers_obsolete(account: Account, now: datetime) -> int:
    return AccountKeyVerifier.objects.filter(account_id=account.pk, obsoleted_at__isnull=True).update(
        obsoleted_at=now
    )


@transaction.atomic
@sensitive_variables("token", "auth_key", "hint")
def reset_complete(
    *,
    token: str,
    auth_key: str,
    kdf: KdfParams,
    hint: str,
    origin: Origin | None = None,
    second_factor_passed: bool = False,
) -> ResetRequest:
    """Reset the account of a valid link: new credentials and hint, vault erased, everything signed out.

    `auth_key` and `kdf` are what the link page's script derived from the new password with a
    fresh salt (docs/auth-protocol.md); the password itself never reaches the server. The same
    password as before is fine: it gives a new auth key under the new salt.

    One transaction with the request and account rows locked: either all of it happens
    or none. The account, its ID, e-mail and licence are kept. Two completions of the same
    link: the second waits for the lock, then finds the request completed and fails.

    An account with a second factor resets only if the link page checked it
    (`second_factor_passed`) or after a cooling-off wait; that reset removes the lost factors.
    """
    found = reset_request_for_token(token=token, purpose=RESET)
    if found is None:
        raise ResetLinkInvalid
    # Lock order everywhere: account row, then reset request rows (see reset_request_record).
    account = Account.objects.select_for_update().get(pk=found.account_id)
    reset_request = ResetRequest.objects.select_for_update().get(pk=found.pk)
    user = User.objects.select_for_update().get(pk=account.user_id)
    account.user = user
    reset_request.account = account
    if not reset_request_usable(reset_request):
        raise ResetLinkInvalid
    if not reset_factor_allows_completion(reset_request, second_factor_passed=second_factor_passed):
        raise ResetSecondFactorRequired
    remove_factors = not second_factor_passed and reset_factor_step(reset_request) == COOLED_OFF
    now = timezone.now()
    if not _state_move(
        reset_request=reset_request,
        from_states=ResetRequest.PENDING_STATES,
        to_state=ResetRequest.State.COMPLETED,
        finished_at=now,
    ):
        raise ResetLinkInvalid

    credentials_set(user=user, auth_key=auth_key, kdf=kdf)
    old_generation = account.key_generation
    account.password_hint = hint
    account.key_generation = old_generation + 1
    account.save(update_fields=["password_hint", "key_generation"])

    items_deleted = _vault_delete(account)
    verifiers = _verifiers_obsolete(account, now)
    devices = devices_mark_reset(account=account)
    sessions = user_sessions_end(user=user)
    factors_removed = second_factors_remove_lost(account=account) if remove_factors else []
    others = ResetRequest.objects.filter(
        account_id=account.pk, state__in=ResetRequest.PENDING_STATES
    ).exclude(pk=reset_request.pk)
    for other in others:
        if _state_move(
            reset_request=other,
            from_states=ResetRequest.PENDING_STATES,
            to_state=ResetRequest.State.SUPERSEDED,
            finished_at=now,
        ):
            reset_event_record(
                reset_request=other,
                state=ResetRequest.State.SUPERSEDED,
                details={"reset_completed": reset_request.pk},
            )

    details = {
        "reset_request": reset_request.pk,
        "items_deleted": items_deleted,
        "verifiers_obsoleted": verifiers,
        "devices_revoked": devices,
        "sessions_ended": sessions,
        "old_generation": old_generation,
        "new_generation": account.key_generation,
        "backup_downloaded": reset_request.backup_downloaded_at is not None,
        "second_factors_removed": factors_removed,
    }
    reset_event_record(
        reset_request=reset_request,
        state=ResetRequest.State.COMPLETED,
        origin=origin,
        details=details,
        at=now,
    )
    security_event_record(
        account=account, type=SecurityEvent.Type.RESET_COMPLETED, origin=origin, details=details
    )
    email_queue(
        to=user.email, kind=COMPLETED_KIND, account=account, context={"reset_request_id": reset_request.pk}
    )
    return reset_request
