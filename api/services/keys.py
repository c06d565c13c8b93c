"""Account key set-up and the QR e-mail that carries the Encrypted Account Key.

The payload is checked (header only), handed to the worker as the e-mail kind's transient
argument (mailer/registry.py) and forgotten: it is never written to the database, the
outbox or a log (see docs/qr-format.md).
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, AccountKeyVerifier, Device, SecurityEvent
from accounts.services import security_event_record
from core.origin import Origin
from mailer.services import email_queue

from ..errors import ApiError
from ..qrpayload import PayloadInvalid, payload_header_read
from .devices import b64url_decode, verifier_live

# The e-mail kind of this module (declared, with its renderer, in api/emails.py).
QR_EMAIL_KIND = "api.account_key_qr"


def generation_check(*, account: Account, generation: int) -> None:
    """Refuse data written under an older key generation (409) or an unknown newer one (422)."""
    if generation < account.key_generation:
        raise ApiError(
            code="generation_obsolete",
            detail=(
                f"This was made under key generation {generation}, but the account is now on generation "
                f"{account.key_generation} (it was reset). Erase the local copy and sync again."
            ),
            status_code=409,
            generation=generation,
            current_generation=account.key_generation,
        )
    generation_exists_check(account=account, generation=generation)


def generation_exists_check(*, account: Account, generation: int) -> None:
    """Refuse a key generation newer than the account's (422): it never existed."""
    if generation > account.key_generation:
        raise ApiError(
            code="generation_invalid",
            detail=f"Key generation {generation} does not exist for this account.",
            status_code=422,
        )


def payload_check(*, account: Account, payload: str) -> None:
    """Refuse an Encrypted Account Key that does not name this account and its current generation."""
    try:
        header = payload_header_read(payload)
    except PayloadInvalid as exc:
        raise ApiError(code="payload_invalid", detail=str(exc))
    if header.account_id != account.account_id:
        raise ApiError(code="payload_invalid", detail="The Encrypted Account Key names another account.")
    generation_check(account=account, generation=header.generation)


def qr_email_queue(*, account: Account, payload: str, reason: str) -> None:
    """Record the QR e-mail in the outbox (ids only); the payload goes to the worker, never stored."""
    email_queue(
        to=account.user.email,
        kind=QR_EMAIL_KIND,
        account=account,
        context={
            "account_id": account.account_id,
            "generation": account.key_generation,
            "date": timezone.now().date().isoformat(),
            "reason": reason,
        },
        transient={"payload": payload},
    )


def account_key_setup(
    *, device: Device, generation: int, verifier: str, payload: str, origin: Origin | None = None
) -> Account:
    """Store the verifier of the current generation, obsolete older ones, authorise the device, e-mail the QR.

    Only allowed while the account has no live verifier for its generation (right after sign-up or
    a reset); otherwise the device must prove ownership with the existing QR code.
    """
    public_key = b64url_decode(verifier, field="verifier")
    if len(public_key) != 32:
        raise ApiError(code="invalid", detail="verifier: an Ed25519 public key is 32 bytes.")
    with transaction.atomic():
        account = Account.objects.select_for_update().select_related("user").get(pk=device.account_id)
        generation_check(account=account, generation=generation)
        payload_check(account=account, payload=payload)
        if verifier_live(account) is not None:
            raise ApiError(
                code="account_key_exists",
                detail="This account already has an account key. Verify this device with your QR code.",
                status_code=409,
            )
        now = timezone.now()
        account.verifiers.filter(obsoleted_at__isnull=True).update(obsoleted_at=now)
        AccountKeyVerifier.objects.create(account=account, generation=generation, public_key=public_key)
        Device.objects.filter(pk=device.pk).update(authorized_at=now)
        security_event_record(
            account=account,
            type=SecurityEvent.Type.ACCOUNT_KEY_CREATED,
            origin=origin,
            details={"generation": generation, "device": device.name},
        )
        qr_email_queue(account=account, payload=payload, reason="setup")
    return account


def qr_resend(*, device: Device, payload: str, origin: Origin | None = None) -> None:
    """E-mail the Encrypted Account Key again, from a verified device."""
    with transaction.atomic():
        account = Account.objects.select_related("user").get(pk=device.account_id)
        payload_check(account=account, payload=payload)
        security_event_record(
            account=account,
            type=SecurityEvent.Type.QR_SENT,
            origin=origin,
            details={"generation": account.key_generation, "device": device.name},
        )
        qr_email_queue(account=account, payload=payload, reason="resend")
