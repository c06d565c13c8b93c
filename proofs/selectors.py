"""Reads of owner proofs shared by the API, the console and the chat."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, User

from .models import OwnerProof, OwnerProofEvent


def proofs_pending_for_account(account: Account):
    """Open requests answerable from the account's apps (method: app), newest first."""
    return OwnerProof.objects.filter(
        account=account,
        status=OwnerProof.Status.PENDING,
        expires_at__gt=timezone.now(),
        method=OwnerProof.Method.APP,
    ).select_related("agent")


def proof_latest(*, conversation_kind: str, conversation_ref) -> OwnerProof | None:
    """The most recent request of one conversation (the console shows it next to the conversation).

    Loads no device or user row (no token hash, no password hash): the device's name is kept on the proof.
    """
    return (
        OwnerProof.objects.filter(conversation_kind=conversation_kind, conversation_ref=str(conversation_ref))
        .defer("secret_hash")
        .first()
    )


def proof_factor_used(proof: OwnerProof) -> str | None:
    """The second factor an approved second-factor proof was answered with ("passkey" or
    "authenticator_app", from the trail), for the console's "owner proven with a passkey"."""
    if proof.method != OwnerProof.Method.SECOND_FACTOR or proof.status != OwnerProof.Status.APPROVED:
        return None
    details = (
        OwnerProofEvent.objects.filter(proof=proof, action=OwnerProofEvent.Action.APPROVED)
        .values_list("details", flat=True)
        .first()
    )
    return (details or {}).get("factor")


def proof_required(action: str) -> bool:
    """True when the console action `action` needs an approved proof first (settings).

    An action the settings do not name is a programming error, not "no proof needed".
    """
    if action not in settings.OWNER_PROOF_REQUIRED_FOR:
        raise KeyError(f"{action!r} is not in OWNER_PROOF_REQUIRED_FOR")
    return bool(settings.OWNER_PROOF_REQUIRED_FOR[action])


def proof_required_actions() -> set[str]:
    """The console actions that need an approved proof first (the console marks them)."""
    return {action for action, required in settings.OWNER_PROOF_REQUIRED_FOR.items() if required}


def proof_valid_for(
    *, account: Account, agent: User, conversations: Iterable[tuple[str, str]]
) -> OwnerProof | None:
    """An approved proof asked by `agent` on `account` in one of `conversations` that still covers
    guarded actions (`OWNER_PROOF_VALID_SECONDS` after the customer answered).

    `conversations` are (kind, ref) pairs, e.g. ("chat", "<public id>"): a proof asked in another
    chat, ticket or account page, or by another agent, does not count.
    """
    places = Q()
    for kind, ref in conversations:
        places |= Q(conversation_kind=kind, conversation_ref=str(ref))
    if not places:
        return None
    since = timezone.now() - timedelta(seconds=settings.OWNER_PROOF_VALID_SECONDS)
    return (
        OwnerProof.objects.filter(places, account=account, agent=agent, status=OwnerProof.Status.APPROVED)
        .filter(decided_at__gte=since)
        .defer("secret_hash")
        .order_by("-decided_at")
        .first()
    )
