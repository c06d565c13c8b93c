"""Reads of reset requests shared by the account page, the app API and the support console."""

from datetime import timedelta

from django.utils import timezone

from .models import ResetRequest, ResetRequestEvent
from .tokens import default_token_generator


def reset_request_pending(account) -> ResetRequest | None:
    """Return the account's live reset request, if any: not finished, not expired, and its links
    still valid (no password change or completed reset since it was made)."""
    candidate = (
        ResetRequest.objects.select_related("account__user")
        .filter(account=account, state__in=ResetRequest.PENDING_STATES, expires_at__gt=timezone.now())
        .order_by("-created_at", "-id")
        .first()
    )
    if candidate is None or candidate.credential_stamp != credential_stamp_of(candidate.account):
        return None
    return candidate


def credential_stamp_of(account) -> str:
    """The fingerprint of the account's password and key generation that reset links are bound to."""
    return default_token_generator.credential_stamp(
        password_hash=account.user.password, key_generation=account.key_generation
    )


def reset_account_for_email(email: str):
    """Return the open customer account whose sign-in address is `email`, if any."""
    from accounts.models import Account
    from accounts.selectors import email_key

    return (
        Account.objects.select_related("user", "license")
        .filter(user__email=email_key(email), user__is_active=True, closed_at__isnull=True)
        .first()
    )


def reset_request_by_token_hash(token_hash: str) -> ResetRequest | None:
    return ResetRequest.objects.select_related("account__user").filter(token_hash=token_hash).first()


def reset_request_by_cancel_token_hash(token_hash: str) -> ResetRequest | None:
    return ResetRequest.objects.select_related("account__user").filter(cancel_token_hash=token_hash).first()


def vault_backup_items(account):
    """The account's vault rows as the backup file carries them: ciphertext only, streamed."""
    from accounts.models import VaultItem

    return (
        VaultItem.objects.filter(account=account)
        .order_by("revision", "id")
        .values_list("item_id", "ciphertext", "nonce", "generation", "revision", "deleted", "updated_at")
        .iterator(chunk_size=2000)
    )


RECENT_RESET_DAYS = 14


def reset_completed_recent(account) -> ResetRequest | None:
    """The account's reset completed in the last RECENT_RESET_DAYS days (the account page's "what next")."""
    return (
        ResetRequest.objects.filter(
            account=account,
            state=ResetRequest.State.COMPLETED,
            finished_at__gt=timezone.now() - timedelta(days=RECENT_RESET_DAYS),
        )
        .order_by("-finished_at", "-id")
        .first()
    )


def reset_request_support_sender(reset_request: ResetRequest) -> dict | None:
    """Say whether support sent this request's latest e-mail: {"ticket": "T-…" or None}, or None."""
    event = (
        ResetRequestEvent.objects.filter(
            reset_request=reset_request,
            actor__isnull=False,
            state__in=[ResetRequest.State.REQUESTED, ResetRequest.State.EMAILED],
        )
        .order_by("-created_at", "-id")
        .only("details")
        .first()
    )
    if event is None:
        return None
    return {"ticket": (event.details or {}).get("ticket")}
