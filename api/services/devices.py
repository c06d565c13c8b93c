"""Sign-up, sign-in, ownership proof and sign-out of app devices."""

import base64
import binascii
import logging
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.kdf import KdfParams, kdf_default
from accounts.models import Account, AccountKeyVerifier, Device, SecurityEvent, User
from accounts.selectors import email_key
from accounts.services import device_revoke, security_event_record
from core.origin import Origin

from ..authentication import device_token_new
from ..errors import ApiError
from ..models import OwnershipChallenge

logger = logging.getLogger(__name__)

CHALLENGE_CONTEXT = "vault-ownership-v1"

INVALID_CREDENTIALS = ApiError(
    code="invalid_credentials",
    detail="The e-mail address or the password is wrong.",
    status_code=401,
)


def ownership_message(*, account_id: str, device_uid: str, challenge: str) -> bytes:
    """The bytes a device signs to prove it holds the account key (docs/qr-format.md)."""
    return f"{CHALLENGE_CONTEXT}:{account_id}:{device_uid}:{challenge}".encode()


@dataclass
class SignInResult:
    status: str
    device: Device
    token: str
    challenge: OwnershipChallenge | None = None
    kdf_upgrade: bool = False


def _sign_in_failure_queue(*, email: str, origin: Origin | None) -> None:
    """Hand the failed sign-in to the worker, which records it if the address has an account.

    Both failure paths (unknown address, wrong password) do exactly this, so neither answers
    faster: the account lookup and the audit write happen in the worker, as for reset requests.
    """
    from ..tasks import sign_in_failure_record

    try:
        sign_in_failure_record.delay(email=email, origin=(origin or Origin()).to_dict())
    except Exception as exc:  # noqa: BLE001 - a broker outage must not turn a 401 into a 500
        logger.warning("Broker unavailable, failed sign-in not recorded: %s", type(exc).__name__)


@sensitive_variables("auth_key")
def _account_authenticate(*, email: str, auth_key: str, origin: Origin | None = None) -> Account:
    user = User.objects.filter(email=email_key(email)).select_related("account").first()
    if user is None:
        make_password(auth_key)
        _sign_in_failure_queue(email=email, origin=origin)
        raise INVALID_CREDENTIALS
    if not user.check_password(auth_key) or not user.is_active:
        _sign_in_failure_queue(email=email, origin=origin)
        raise INVALID_CREDENTIALS
    account = getattr(user, "account", None)
    if account is None or account.closed_at is not None:
        raise INVALID_CREDENTIALS
    return account


def verifier_live(account: Account) -> AccountKeyVerifier | None:
    return (
        account.verifiers.filter(generation=account.key_generation, obsoleted_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def kdf_upgrade_due(user: User) -> bool:
    """True when the account's stored Argon2id costs are below today's default."""
    stored = KdfParams.from_user(user)
    return stored is None or stored.below(kdf_default(salt=stored.salt))


@sensitive_variables("auth_key")
def device_sign_in(
    *,
    email: str,
    auth_key: str,
    device_uid: str,
    device_name: str,
    platform: str,
    origin: Origin | None = None,
) -> SignInResult:
    """Check the auth key and give the device a new token.

    A device that already proved ownership is signed in at once. Any other device gets a token
    that only allows the ownership proof (with a one-time challenge), or the account key set-up
    when the account has no live key for its current generation.
    """
    account = _account_authenticate(email=email, auth_key=auth_key, origin=origin)
    with transaction.atomic():
        result = _device_sign_in(
            account=account,
            device_uid=device_uid,
            device_name=device_name,
            platform=platform,
            origin=origin,
        )
    result.kdf_upgrade = kdf_upgrade_due(account.user)
    return result


def _device_sign_in(
    *, account: Account, device_uid: str, device_name: str, platform: str, origin: Origin | None
) -> SignInResult:
    Account.objects.select_for_update().filter(pk=account.pk).first()
    device = (
        Device.objects.select_for_update()
        .filter(account=account, device_uid=device_uid, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    token, token_hash = device_token_new()
    if device is None:
        device = Device.objects.create(
            account=account, device_uid=device_uid, name=device_name, platform=platform, token_hash=token_hash
        )
        security_event_record(
            account=account,
            type=SecurityEvent.Type.DEVICE_ADDED,
            origin=origin,
            details={"device": device_name, "platform": platform},
        )
    else:
        device.token_hash = token_hash
        device.name, device.platform = device_name, platform
        device.last_seen_at = timezone.now()
        device.save(update_fields=["token_hash", "name", "platform", "last_seen_at"])
    if device.authorized_at is not None:
        if verifier_live(account) is not None:
            return SignInResult(status="authorized", device=device, token=token)
        device.authorized_at = None
        device.save(update_fields=["authorized_at"])
    if verifier_live(account) is None:
        return SignInResult(status="account_key_setup_required", device=device, token=token)
    device.challenges.filter(used_at__isnull=True).update(used_at=timezone.now())
    challenge = OwnershipChallenge.objects.create(device=device)
    return SignInResult(status="owner_verification_required", device=device, token=token, challenge=challenge)


def _signature_verifies(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public_key)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def b64url_decode(value: str, *, field: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ApiError(code="invalid", detail=f"{field}: not valid base64url.")


def device_verify(*, device: Device, challenge: str, signature: str, origin: Origin | None = None) -> Device:
    """Authorise `device` if it signed its live challenge with the current account key.

    The challenge is spent by the first attempt, right or wrong (a new sign-in gives a new one),
    so a proof can be neither replayed nor guessed at leisure.
    """
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=device.account_id)
        record = OwnershipChallenge.objects.select_for_update().filter(device=device, value=challenge).first()
        if record is None:
            raise ApiError(
                code="challenge_invalid",
                detail="This challenge was not issued to this device. Sign in again to get a new one.",
            )
        if record.used_at is not None:
            raise ApiError(
                code="challenge_used",
                detail="This challenge was already used. Sign in again to get a new one.",
                status_code=409,
            )
        if record.expires_at <= timezone.now():
            raise ApiError(
                code="challenge_expired",
                detail="This challenge has expired. Sign in again to get a new one.",
                status_code=410,
            )
        record.used_at = timezone.now()
        record.save(update_fields=["used_at"])
    signature_bytes = b64url_decode(signature, field="signature")
    message = ownership_message(
        account_id=account.account_id, device_uid=device.device_uid, challenge=challenge
    )
    current = verifier_live(account)
    if current is not None and _signature_verifies(current.public_key, signature_bytes, message):
        with transaction.atomic():
            Device.objects.filter(pk=device.pk).update(authorized_at=timezone.now())
            security_event_record(
                account=account,
                type=SecurityEvent.Type.DEVICE_AUTHORIZED,
                origin=origin,
                details={"device": device.name, "generation": account.key_generation},
            )
        device.refresh_from_db()
        return device
    for old in account.verifiers.exclude(pk=current.pk if current else None).order_by("-generation"):
        if _signature_verifies(old.public_key, signature_bytes, message):
            raise ApiError(
                code="qr_obsolete",
                detail=(
                    f"This QR code is obsolete: it holds the account key of generation {old.generation}, "
                    f"but the account is now on generation {account.key_generation}. Use the QR code from "
                    "your most recent e-mail and delete the older ones."
                ),
                status_code=409,
                qr_generation=old.generation,
                current_generation=account.key_generation,
            )
    raise ApiError(
        code="signature_invalid",
        detail="The proof does not match this account's key. Scan the QR code from your most recent e-mail.",
        status_code=403,
    )


def device_sign_out(*, device: Device, origin: Origin | None = None) -> bool:
    """Sign a device out; its token stops working at once."""
    return device_revoke(device=device, reason=Device.RevokedReason.SIGNED_OUT, origin=origin)
