"""Every write of owner proofs: ask, answer (app, second factor, e-mailed code), expire.

The server picks the strongest method the account has (`proof_method_choose`); nothing here
takes a method from the agent. Each state change writes an `OwnerProofEvent` (support's trail)
and a decision also writes a customer-visible `SecurityEvent` ("Vault support checked it was
you"). Codes are never logged, never kept in clear after use, never put in an outbox row.
"""

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.debug import sensitive_variables

from accounts.models import Account, AccountKeyVerifier, Device, SecurityEvent, User
from accounts.services import security_event_record
from core.origin import Origin
from mailer.services import email_queue

from .limits import proof_request_limited
from .models import OwnerProof, OwnerProofEvent

PROOF_CONTEXT = "vault-support-proof-v1"
CODE_EMAIL_KIND = "proofs.owner_code"
_HASH_SALT = "proofs.OwnerProof.secret"
# Comparison codes: no 0/O or 1/I/L, so that reading one aloud in a chat is unambiguous.
_SHORT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass
class ProofError(Exception):
    """A refused proof action: a stable code, a sentence for people and an HTTP status."""

    code: str
    detail: str
    status_code: int = 400

    def __str__(self):
        return self.detail


def proof_message(*, account_id: str, proof_id: str, short_code: str, device_uid: str) -> bytes:
    """The bytes an unlocked app signs to approve a request (docs/qr-format.md)."""
    return f"{PROOF_CONTEXT}:{account_id}:{proof_id}:{short_code}:{device_uid}".encode()


def _short_code() -> str:
    return "".join(secrets.choice(_SHORT_ALPHABET) for _ in range(6))


def _secret_hash(proof: OwnerProof, code: str) -> str:
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


def _app_available(account: Account) -> bool:
    live = AccountKeyVerifier.objects.filter(
        account=account, generation=account.key_generation, obsoleted_at__isnull=True
    ).exists()
    return live and account.devices.filter(revoked_at__isnull=True, authorized_at__isnull=False).exists()


def second_factor_available(user: User) -> bool:
    """True when allauth.mfa is installed and the user has a passkey or an authenticator app."""
    if not apps.is_installed("allauth.mfa"):
        return False
    authenticator = apps.get_model("mfa", "Authenticator")
    return authenticator.objects.filter(user=user).exclude(type="recovery_codes").exists()


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
            _close(
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
            proof.secret_hash = _secret_hash(proof, code)
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


def _close(proof: OwnerProof, status: str, action: str, *, origin=None, details=None, device=None) -> None:
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


def _open_for_update(*, account: Account, proof_id: str, method: str | None = None) -> OwnerProof:
    proof = OwnerProof.objects.select_for_update().filter(public_id=proof_id, account=account).first()
    if proof is None or (method is not None and proof.method != method):
        raise ProofError("proof_not_found", "There is no such support request on this account.", 404)
    if proof.status == OwnerProof.Status.PENDING and proof.expires_at <= timezone.now():
        _close(proof, OwnerProof.Status.EXPIRED, OwnerProofEvent.Action.EXPIRED)
        raise _Expired()
    if proof.status == OwnerProof.Status.EXPIRED:
        raise ProofError("proof_expired", "This support request has expired. Ask support for a new one.", 410)
    if proof.status != OwnerProof.Status.PENDING:
        raise ProofError("proof_used", "This support request was already answered.", 409)
    return proof


class _Expired(Exception):
    """Raised inside the transaction after the expiry was written, so that it is kept."""


def _run(fn):
    """Run `fn` in a transaction; an expiry found on the way is committed, then reported."""
    try:
        with transaction.atomic():
            return fn()
    except _Expired:
        raise ProofError("proof_expired", "This support request has expired. Ask support for a new one.", 410)


def _b64url(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ProofError("invalid", "signature: not valid base64url.")


def _wrong_answer(proof: OwnerProof, *, origin, reason: str) -> None:
    proof.attempts += 1
    proof.save(update_fields=["attempts"])
    proof_event_record(
        proof=proof, action=OwnerProofEvent.Action.WRONG_ANSWER, origin=origin, details={"reason": reason}
    )
    if proof.attempts >= settings.OWNER_PROOF_MAX_ATTEMPTS:
        _close(proof, OwnerProof.Status.FAILED, OwnerProofEvent.Action.FAILED, origin=origin)


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
        proof = _open_for_update(account=account, proof_id=proof_id, method=OwnerProof.Method.APP)
        if not constant_time_compare(code.strip().upper(), proof.short_code):
            _wrong_answer(proof, origin=origin, reason="code")
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
            _wrong_answer(proof, origin=origin, reason="signature")
            return ProofError(
                "signature_invalid",
                "The approval is not signed with this account's key: unlock the app.",
                403,
            )
        _close(
            proof,
            OwnerProof.Status.APPROVED,
            OwnerProofEvent.Action.APPROVED,
            origin=origin,
            device=device,
            details={"device": device.name},
        )
        return proof

    result = _run(approve)
    if isinstance(result, ProofError):  # the wrong answer is committed, then reported
        raise result
    return result


def proof_refuse_app(*, device: Device, proof_id: str, origin: Origin | None = None) -> OwnerProof:
    """The customer says "this was not me" from a signed-in app (a refusal needs no signature)."""
    if not device.is_active or device.authorized_at is None:
        raise ProofError("owner_verification_required", "Verify this device with your QR code first.", 403)

    def refuse():
        proof = _open_for_update(account=device.account, proof_id=proof_id)
        _close(
            proof,
            OwnerProof.Status.REFUSED,
            OwnerProofEvent.Action.REFUSED,
            origin=origin,
            device=device,
            details={"device": device.name},
        )
        return proof

    return _run(refuse)


@sensitive_variables("code")
def proof_answer_code(*, proof_id: str, code: str, origin: Origin | None = None) -> OwnerProof:
    """Check the code e-mailed to the account's address, typed on the portal page."""

    def answer():
        proof = OwnerProof.objects.filter(public_id=proof_id).first()
        if proof is None:
            raise ProofError("proof_not_found", "There is no such request.", 404)
        proof = _open_for_update(account=proof.account, proof_id=proof_id, method=OwnerProof.Method.EMAIL)
        given = "".join(ch for ch in code if ch.isdigit())
        if not constant_time_compare(_secret_hash(proof, given), proof.secret_hash):
            _wrong_answer(proof, origin=origin, reason="code")
            return ProofError("code_mismatch", "This code is not right.", 403)
        _close(proof, OwnerProof.Status.APPROVED, OwnerProofEvent.Action.APPROVED, origin=origin)
        return proof

    result = _run(answer)
    if isinstance(result, ProofError):
        raise result
    return result


def proof_answer_second_factor(
    *, proof_id: str, user: User, verified: bool, origin: Origin | None = None
) -> OwnerProof:
    """Record the result of a second-factor check done by the portal page for the signed-in owner."""

    def answer():
        proof = _open_for_update(
            account=user.account, proof_id=proof_id, method=OwnerProof.Method.SECOND_FACTOR
        )
        if not verified:
            _wrong_answer(proof, origin=origin, reason="second_factor")
            return ProofError("code_mismatch", "This code is not right.", 403)
        _close(proof, OwnerProof.Status.APPROVED, OwnerProofEvent.Action.APPROVED, origin=origin)
        return proof

    result = _run(answer)
    if isinstance(result, ProofError):
        raise result
    return result


def proof_refuse_web(*, proof_id: str, user: User, origin: Origin | None = None) -> OwnerProof:
    """The signed-in owner refuses a request from the portal page."""
    return _run(
        lambda: _close_refused(_open_for_update(account=user.account, proof_id=proof_id), origin=origin)
    )


def _close_refused(proof: OwnerProof, *, origin) -> OwnerProof:
    _close(proof, OwnerProof.Status.REFUSED, OwnerProofEvent.Action.REFUSED, origin=origin)
    return proof


def owner_proofs_expire() -> int:
    """Mark pending requests past their lifetime as expired (erasing their codes)."""
    count = 0
    for pk in OwnerProof.objects.filter(
        status=OwnerProof.Status.PENDING, expires_at__lte=timezone.now()
    ).values_list("pk", flat=True):
        with transaction.atomic():
            proof = OwnerProof.objects.select_for_update().get(pk=pk)
            if proof.status == OwnerProof.Status.PENDING:
                _close(proof, OwnerProof.Status.EXPIRED, OwnerProofEvent.Action.EXPIRED)
                count += 1
    return count
