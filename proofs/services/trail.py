"""What asking and answering share: the refusal error, the trail writer, and deciding a proof.

`proof_close` is the one place a proof is decided: it erases the codes, writes the
`OwnerProofEvent` and, for a decision, the customer-visible `SecurityEvent`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import Account, SecurityEvent, User
from accounts.services import security_event_record
from core.origin import Origin

from ..models import OwnerProof, OwnerProofEvent

_HASH_SALT = "proofs.OwnerProof.secret"


@dataclass
class ProofError(Exception):
    """A refused proof action: a stable code, a sentence for people and an HTTP status."""

    code: str
    detail: str
    status_code: int = 400

    def __str__(self):
        return self.detail


def proof_secret_hash(proof: OwnerProof, code: str) -> str:
    return salted_hmac(_HASH_SALT, f"{proof.public_id}:{code}", algorithm="sha256").hexdigest()


def proof_event_record(
    *, proof: OwnerProof, action: str, actor: User | None = None, origin: Origin | None = None, details=None
) -> OwnerProofEvent:
    """Append one row to the proof trail (never a code in `details`)."""
    return OwnerProofEvent.objects.create(
        proof=proof,
        action=action,
        actor=actor,
        details=details or {},
        **OwnerProofEvent.origin_columns(origin),
    )


def proof_close(
    proof: OwnerProof, status: str, action: str, *, origin=None, details=None, device=None
) -> None:
    """Decide `proof` (inside a transaction): erase its codes, write the trail and the customer's event."""
    proof.status = status
    proof.decided_at = timezone.now()
    proof.short_code = ""
    proof.secret_hash = ""
    if device is not None:
        proof.device = device
        proof.device_name = device.name
    proof.save(update_fields=["status", "decided_at", "short_code", "secret_hash", "device", "device_name"])
    proof_event_record(proof=proof, action=action, origin=origin, details=details)
    if status in (OwnerProof.Status.APPROVED, OwnerProof.Status.REFUSED, OwnerProof.Status.FAILED):
        security_event_record(
            account=proof.account,
            type=SecurityEvent.Type.SUPPORT_PROOF,
            origin=origin,
            details={"result": status, "method": proof.method, "conversation": proof.conversation_kind},
        )


def proof_open_for_update(*, account: Account, proof_id: str, method: str | None = None) -> OwnerProof:
    proof = OwnerProof.objects.select_for_update().filter(public_id=proof_id, account=account).first()
    if proof is None or (method is not None and proof.method != method):
        raise ProofError("proof_not_found", "There is no such support request on this account.", 404)
    if proof.status == OwnerProof.Status.PENDING and proof.expires_at <= timezone.now():
        proof_close(proof, OwnerProof.Status.EXPIRED, OwnerProofEvent.Action.EXPIRED)
        raise ProofExpired()
    if proof.status == OwnerProof.Status.EXPIRED:
        raise ProofError("proof_expired", "This support request has expired. Ask support for a new one.", 410)
    if proof.status != OwnerProof.Status.PENDING:
        raise ProofError("proof_used", "This support request was already answered.", 409)
    return proof


class ProofExpired(Exception):
    """Raised inside the transaction after the expiry was written, so that it is kept."""


def proof_run(fn):
    """Run `fn` in a transaction; an expiry found on the way is committed, then reported.

    `ProofExpired` is caught inside the transaction: letting it leave `atomic()` would roll the
    expiry back, and the request would stay "pending" past its lifetime.
    """
    with transaction.atomic():
        try:
            return fn()
        except ProofExpired:
            pass
    raise ProofError("proof_expired", "This support request has expired. Ask support for a new one.", 410)


def proof_wrong_answer(proof: OwnerProof, *, origin, reason: str) -> None:
    proof.attempts += 1
    proof.save(update_fields=["attempts"])
    proof_event_record(
        proof=proof, action=OwnerProofEvent.Action.WRONG_ANSWER, origin=origin, details={"reason": reason}
    )
    if proof.attempts >= settings.OWNER_PROOF_MAX_ATTEMPTS:
        proof_close(proof, OwnerProof.Status.FAILED, OwnerProofEvent.Action.FAILED, origin=origin)
