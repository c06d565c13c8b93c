"""Every write to customer accounts outside the vault and reset flows."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core.origin import Origin

from .ids import account_id_new
from .kdf import KdfParams, auth_key_clean
from .models import Account, Device, License, LicenseChange, SecurityEvent, User

ACCOUNT_ID_ATTEMPTS = 5
KDF_FIELDS = ["password", "kdf_salt", "kdf_iterations", "kdf_memory_kib", "kdf_parallelism"]


@sensitive_variables("auth_key")
def credentials_set(*, user: User, auth_key: str, kdf: KdfParams) -> None:
    """Store the hash of the device's auth key and the parameters it was derived with.

    The one way credentials are set: sign-up, reset completion, change of password, seed_demo.
    `auth_key` is checked again (43 characters of base64url); `kdf` was parsed by
    `KdfParams.from_data`, which refuses parameters below the floor. Saves the user.
    """
    user.set_password(auth_key_clean(auth_key))
    user.kdf_salt = kdf.salt
    user.kdf_iterations = kdf.iterations
    user.kdf_memory_kib = kdf.memory_kib
    user.kdf_parallelism = kdf.parallelism
    if user.pk is None:
        user.save()
    else:
        user.save(update_fields=KDF_FIELDS)


def security_event_record(
    *,
    account: Account,
    type: str,
    origin: Origin | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Append an audit event to the account's history, with where the action came from."""
    return SecurityEvent.objects.create(
        account=account, type=type, details=details or {}, **SecurityEvent.origin_columns(origin)
    )


def license_history_record(
    *, license: License, changed_by: User | None = None, reason: str = ""
) -> LicenseChange:
    """Copy the licence's current state into its history."""
    return LicenseChange.objects.create(
        license=license,
        plan=license.plan,
        status=license.status,
        seats=license.seats,
        starts_at=license.starts_at,
        expires_at=license.expires_at,
        changed_by=changed_by,
        reason=reason,
    )


@transaction.atomic
def account_create(
    *,
    user: User,
    password_hint: str = "",
    plan: str = License.Plan.FREE,
    origin: Origin | None = None,
) -> Account:
    """Create the customer account of `user` with a free licence and its first history row."""
    for attempt in range(ACCOUNT_ID_ATTEMPTS):
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    user=user, password_hint=password_hint, account_id=account_id_new()
                )
            break
        except IntegrityError:
            if attempt == ACCOUNT_ID_ATTEMPTS - 1:
                raise
    license = License.objects.create(account=account, plan=plan)
    license_history_record(license=license, reason="Account created")
    security_event_record(account=account, type=SecurityEvent.Type.SIGNED_UP, origin=origin)
    return account


def device_revoke(
    *, device: Device, reason: str, origin: Origin | None = None, details: dict | None = None
) -> bool:
    """Sign a device out now: its token stops working at once. Return False if it already was."""
    updated = Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if updated:
        security_event_record(
            account=device.account,
            type=SecurityEvent.Type.DEVICE_REVOKED,
            origin=origin,
            details={"device": device.name, "reason": reason, **(details or {})},
        )
    return bool(updated)


def devices_revoke_all(*, account: Account, reason: str, keep: Device | None = None) -> int:
    """Sign out every device of the account (but `keep`) in one UPDATE; return how many.

    The caller writes the audit event that explains why (reset, password change, closure).
    """
    devices = Device.objects.filter(account_id=account.pk, revoked_at__isnull=True)
    if keep is not None:
        devices = devices.exclude(pk=keep.pk)
    return devices.update(revoked_at=timezone.now(), revoked_reason=reason)


def user_sessions_end(*, user: User) -> int:
    """End every web session of `user` (allauth's user sessions, then any session row left)."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)
