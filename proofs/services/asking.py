"""Asking: the server chooses the method, opens the request (e-mailing a code if needed), expires it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import Account, AccountKeyVerifier, User
from accounts.second_factors import second_factor_enrolled
from core.origin import Origin
from mailer.services import email_queue

from ..limits import proof_request_limited
from ..models import OwnerProof, OwnerProofEvent
from .trail import ProofError, proof_close, proof_event_record, proof_secret_hash

CODE_EMAIL_KIND = "proofs.owner_code"


# Comparison codes: no 0/O or 1/I/L, so that reading one aloud in a chat is unambiguous.
_SHORT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _short_code() -> str:
    return "".join(secrets.choice(_SHORT_ALPHABET) for _ in range(6))


def _app_available(account: Account) -> bool:
    live = AccountKeyVerifier.objects.filter(
        account=account, generation=account.key_generation, obsoleted_at__isnull=True
    ).exists()
    return live and account.devices.filter(revoked_at__isnull=True, authorized_at__isnull=False).exists()


def second_factor_available(user: User) -> bool:
    """True when the user has a passkey or an authenticator app (recovery codes alone do not count:
    the proof page does not take them)."""
    return second_factor_enrolled(user)


def proof_method_choose(account: Account) -> str:
    """The strongest method the account has: an unlocked app, a second factor, else an e-mailed code."""
    if _app_available(account):
        return OwnerProof.Method.APP
    if second_factor_available(account.user):
        return OwnerProof.Method.SECOND_FACTOR
    return OwnerProof.Method.EMAIL


@sensitive_variables("code")
def proof_request(
    *,
    account: Account,
    agent: User,
    conversation_kind: str,
    conversation_ref: str,
    origin: Origin | None = None,
) -> OwnerProof:
    """Ask the customer of `account` to prove it is them, bound to `agent` and one conversation.

    An open request of the same conversation is superseded (expired). The method is the
    server's choice; an e-mailed code goes to the account's own address only.
    """
    if proof_request_limited(agent_id=agent.pk, account_id=account.pk):
        raise ProofError("rate_limited", "Too many proof requests: wait a while before asking again.", 429)
    if conversation_kind not in OwnerProof.Conversation.values:
        raise ProofError("invalid", "Unknown conversation.")
    method = proof_method_choose(account)
    now = timezone.now()
    with transaction.atomic():
        for stale in OwnerProof.objects.select_for_update().filter(
            account=account,
            conversation_kind=conversation_kind,
            conversation_ref=str(conversation_ref),
            status=OwnerProof.Status.PENDING,
        ):
            proof_close(
                stale, OwnerProof.Status.EXPIRED, OwnerProofEvent.Action.EXPIRED, details={"superseded": True}
            )
        proof = OwnerProof.objects.create(
            account=account,
            agent=agent,
            conversation_kind=conversation_kind,
            conversation_ref=str(conversation_ref),
            method=method,
            short_code=_short_code(),
            expires_at=now + timedelta(seconds=settings.OWNER_PROOF_TTL_SECONDS),
        )
        proof_event_record(
            proof=proof,
            action=OwnerProofEvent.Action.REQUESTED,
            actor=agent,
            origin=origin,
            details={"method": method, "conversation": f"{conversation_kind}:{conversation_ref}"},
        )
        if method == OwnerProof.Method.EMAIL:
            code = f"{secrets.randbelow(10**8):08d}"
            proof.secret_hash = proof_secret_hash(proof, code)
            proof.save(update_fields=["secret_hash"])
            email_queue(
                to=account.user.email,
                kind=CODE_EMAIL_KIND,
                account=account,
                context={"proof": str(proof.public_id), "agent": agent_display_name(agent)},
                transient={"code": code},
            )
            proof_event_record(
                proof=proof, action=OwnerProofEvent.Action.CODE_SENT, actor=agent, origin=origin
            )
    return proof


def agent_display_name(agent: User) -> str:
    """What the customer sees of the agent: the part of their staff address before the "@"."""
    return (agent.email.split("@")[0] or "Vault support").capitalize()


def owner_proofs_expire() -> int:
    """Mark pending requests past their lifetime as expired (erasing their codes)."""
    count = 0
    for pk in OwnerProof.objects.filter(
        status=OwnerProof.Status.PENDING, expires_at__lte=timezone.now()
    ).values_list("pk", flat=True):
        with transaction.atomic():
            proof = OwnerProof.objects.select_for_update().get(pk=pk)
            if proof.status == OwnerProof.Status.PENDING:
                proof_close(proof, OwnerProof.Status.EXPIRED, OwnerProofEvent.Action.EXPIRED)
                count += 1
    return count
