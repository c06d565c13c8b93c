"""Change the Account Password from an unlocked app.

The app never sends a password: it proves the current one with the current auth key and sends
the new auth key with a fresh salt and the parameters it was derived with (docs/auth-protocol.md).
The same call re-keys an account whose parameters are below today's default (`kdf_upgrade`).
The account key does not change (so the vault stays readable and the generation stays the same);
the app re-wraps it under the new password and we e-mail that new QR code. Every other device is
signed out with `password_changed` and must sign in again with the new password and verify with
the new QR code. Older QR e-mails still hold the same key wrapped under the *old* password: they
cannot be used without that password, and the e-mail tells the user to delete them.
"""

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from accounts.kdf import KdfParams
from accounts.models import Account, Device, SecurityEvent
from accounts.services import credentials_set, devices_revoke_all, security_event_record
from core.origin import Origin

from ..errors import ApiError
from .keys import payload_check, qr_email_queue


@sensitive_variables("current_auth_key", "new_auth_key", "payload", "password_hint", "hint")
def password_change(
    *,
    device: Device,
    current_auth_key: str,
    new_auth_key: str,
    new_kdf: KdfParams,
    payload: str,
    password_hint: str | None = None,
    origin: Origin | None = None,
) -> int:
    """Set the new auth key (and hint), sign out the other devices, e-mail the new QR. Return how many."""
    with transaction.atomic():
        account = Account.objects.select_for_update().select_related("user").get(pk=device.account_id)
        user = account.user
        if not user.check_password(current_auth_key):
            raise ApiError(
                code="invalid_credentials", detail="The current password is wrong.", status_code=403
            )
        if new_kdf.salt == user.kdf_salt:
            raise ApiError(
                code="kdf_salt_reused",
                detail="new_kdf.salt must be a fresh random salt, not the account's current one.",
            )
        hint = account.password_hint if password_hint is None else password_hint
        payload_check(account=account, payload=payload)
        credentials_set(user=user, auth_key=new_auth_key, kdf=new_kdf)
        account.password_hint = hint
        account.save(update_fields=["password_hint"])
        signed_out = devices_revoke_all(
            account=account, reason=Device.RevokedReason.PASSWORD_CHANGED, keep=device
        )
        security_event_record(
            account=account,
            type=SecurityEvent.Type.PASSWORD_CHANGED,
            origin=origin,
            details={"via": "app", "device": device.name, "devices_signed_out": signed_out},
        )
        qr_email_queue(account=account, payload=payload, reason="password_changed")
    return signed_out
