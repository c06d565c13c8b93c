"""Every write to customer accounts outside the vault and reset flows."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.origin import Origin

from .ids import account_id_new
from .models import Account, Device, License, LicenseChange, SecurityEvent, User

ACCOUNT_ID_ATTEMPTS = 5


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
