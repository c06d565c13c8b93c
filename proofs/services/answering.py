"""Answering: the customer approves or refuses, from an unlocked app or on the portal page."""

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.crypto import constant_time_compare
from django.views.decorators.debug import sensitive_variables

from accounts.models import AccountKeyVerifier, Device, User
from core.origin import Origin

from ..models import OwnerProof, OwnerProofEvent
from .trail import (
    ProofError,
    proof_close,
    proof_open_for_update,
    proof_run,
    proof_secret_hash,
    proof_wrong_answer,
)

PROOF_CONTEXT = "vault-support-proof-v1"


def proof_message(*, account_id: str, proof_id: str, short_code: str, device_uid: str) -> bytes:
    """The bytes an unlocked app signs to approve a request (docs/qr-format.md)."""
    return f"{PROOF_CONTEXT}:{account_id}:{proof_id}:{short_code}:{device_uid}".encode()


def _b64url(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ProofError("invalid", "signature: not valid base64url.")


def proof_approve_app(
    *, device: Device, proof_id: str, code: str, signature: str, origin: Origin | None = None
) -> OwnerProof:
    """Approve from an unlocked app: `signature` over `proof_message` with the account-key-derived key.

    A device token alone cannot approve: the signature is checked against the account's live
    verifier. A wrong signature counts as a wrong answer (the request fails after a few).
    """
    if not device.is_active or device.authorized_at is None:
        raise ProofError("owner_verification_required", "Verify this device with your QR code first.", 403)
    account = device.account
    signature_bytes = _b64url(signature)

    def approve():
        proof = proof_open_for_update(account=account, proof_id=proof_id, method=OwnerProof.Method.APP)
        if not constant_time_compare(code.strip().upper(), proof.short_code):
            proof_wrong_answer(proof, origin=origin, reason="code")
            return ProofError(
                "code_mismatch", "This code does not match the request: check it with support.", 403
            )
        verifier = AccountKeyVerifier.objects.filter(
            account=account, generation=account.key_generation, obsoleted_at__isnull=True
        ).first()
        message = proof_message(
            account_id=account.account_id,
            proof_id=str(proof.public_id),
            short_code=proof.short_code,
            device_uid=device.device_uid,
        )
        try:
            if verifier is None:
                raise InvalidSignature
            Ed25519PublicKey.from_public_bytes(bytes(verifier.public_key)).verify(signature_bytes, message)
        except (InvalidSignature, ValueError):
            proof_wrong_answer(proof, origin=origin, reason="signature")
            return ProofError(
                "signature_invalid",
                "The approval is not signed with this account's key: unlock the app.",
                403,
            )
        proof_close(
            proof,
            OwnerProof.Status.APPROVED,
            OwnerProofEvent.Action.APPROVED,
            origin=origin,
            device=device,
            details={"device": device.name},
        )
        return proof

    result = proof_run(approve)
    if isinstance(result, ProofError):  # the wrong answer is committed, then reported
        raise result
    return result


def proof_refuse_app(*, device: Device, proof_id: str, origin: Origin | None = None) -> OwnerProof:
    """The customer says "this was not me" from a signed-in app (a refusal needs no signature)."""
    if not device.is_active or device.authorized_at is None:
        raise ProofError("owner_verification_required", "Verify this device with your QR code first.", 403)

    def refuse():
        proof = proof_open_for_update(account=device.account, proof_id=proof_id)
        proof_close(
            proof,
            OwnerProof.Status.REFUSED,
            OwnerProofEvent.Action.REFUSED,
            origin=origin,
            device=device,
            details={"device": device.name},
        )
        return proof

    return proof_run(refuse)


@sensitive_variables("code")
def proof_answer_code(*, proof_id: str, code: str, origin: Origin | None = None) -> OwnerProof:
    """Check the code e-mailed to the account's address, typed on the portal page."""

    def answer():
        proof = OwnerProof.objects.filter(public_id=proof_id).first()
        if proof is None:
            raise ProofError("proof_not_found", "There is no such request.", 404)
        proof = proof_open_for_update(
            account=proof.account, proof_id=proof_id, method=OwnerProof.Method.EMAIL
        )
        given = "".join(ch for ch in code if ch.isdigit())
        if not constant_time_compare(proof_secret_hash(proof, given), proof.secret_hash):
            proof_wrong_answer(proof, origin=origin, reason="code")
            return ProofError("code_mismatch", "This code is not right.", 403)
        proof_close(proof, OwnerProof.Status.APPROVED, OwnerProofEvent.Action.APPROVED, origin=origin)
        return proof

    result = proof_run(answer)
    if isinstance(result, ProofError):
        raise result
    return result


# How the owner answered a second-factor request (the trail's `factor`; the console names it).
FACTOR_PASSKEY = "passkey"
FACTOR_AUTHENTICATOR_APP = "authenticator_app"
_FACTOR_REFUSED = {
    FACTOR_PASSKEY: "This passkey was not accepted.",
    FACTOR_AUTHENTICATOR_APP: "This code is not right.",
}


def proof_answer_second_factor(
    *, proof_id: str, user: User, verified: bool, factor: str, origin: Origin | None = None
) -> OwnerProof:
    """Record the result of a second-factor check the portal page made for this proof.

    The page checks the account's passkey (`accounts.second_factors.passkey_check`, with a
    challenge bound to this proof) or authenticator code; `user` is the proof's own account
    holder, so a factor of any other account can never count. A wrong answer counts towards
    the proof's attempts; the approval names the factor in the trail.
    """
    if factor not in _FACTOR_REFUSED:
        raise ProofError("invalid", "Unknown second factor.")

    def answer():
        proof = proof_open_for_update(
            account=user.account, proof_id=proof_id, method=OwnerProof.Method.SECOND_FACTOR
        )
        if not verified:
            proof_wrong_answer(proof, origin=origin, reason=factor)
            return ProofError("code_mismatch", _FACTOR_REFUSED[factor], 403)
        proof_close(
            proof,
            OwnerProof.Status.APPROVED,
            OwnerProofEvent.Action.APPROVED,
            origin=origin,
            details={"factor": factor},
        )
        return proof

    result = proof_run(answer)
    if isinstance(result, ProofError):
        raise result
    return result


def proof_refuse_web(*, proof_id: str, origin: Origin | None = None) -> OwnerProof:
    """Whoever holds the page's link says "I did not ask support for anything" (e-mailed code or
    second-factor requests; an app request is refused in the app).

    Anyone with the link may refuse: a refusal proves nothing and unlocks nothing, and the owner
    who got the link in a ticket reply they never wrote must be able to say so.
    """

    def refuse():
        proof = OwnerProof.objects.filter(public_id=proof_id).only("account_id", "method").first()
        if proof is None or proof.method == OwnerProof.Method.APP:
            raise ProofError("proof_not_found", "There is no such request.", 404)
        return _close_refused(proof_open_for_update(account=proof.account, proof_id=proof_id), origin=origin)

    return proof_run(refuse)


def _close_refused(proof: OwnerProof, *, origin) -> OwnerProof:
    proof_close(proof, OwnerProof.Status.REFUSED, OwnerProofEvent.Action.REFUSED, origin=origin)
    return proof
