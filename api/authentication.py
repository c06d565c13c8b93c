"""Device tokens: opaque, random, stored as a SHA-256 hash, revocable at once."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import Device

from .errors import ApiError

LAST_SEEN_RESOLUTION = timedelta(minutes=1)

REVOKED_ERRORS = {
    Device.RevokedReason.ACCOUNT_RESET: (
        "account_reset",
        "This account was reset: every vault item and key made before the reset was destroyed. "
        "Erase this device's local copy of the vault, then sign in again with the new password.",
    ),
    Device.RevokedReason.PASSWORD_CHANGED: (
        "password_changed",
        "The account password was changed on another device. Sign in again with the new password "
        "and verify this device with the newest QR code.",
    ),
}
SIGNED_OUT_ERROR = ("device_signed_out", "This device was signed out. Sign in again to use it.")


def device_token_new() -> tuple[str, str]:
    """Return a fresh token and the hash we store for it."""
    token = secrets.token_urlsafe(32)
    return token, device_token_hash(token)


def device_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <device token>`; `request.auth` is the Device."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise ApiError(
                code="token_invalid", detail="Send the header as 'Bearer <token>'.", status_code=401
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise ApiError(code="token_invalid", detail="This device token is not valid.", status_code=401)
        device = (
            Device.objects.select_related("account__user").filter(token_hash=device_token_hash(token)).first()
        )
        if device is None:
            raise ApiError(
                code="token_invalid", detail="This device token is not valid. Sign in again.", status_code=401
            )
        if device.revoked_at is not None:
            code, detail = REVOKED_ERRORS.get(device.revoked_reason, SIGNED_OUT_ERROR)
            raise ApiError(code=code, detail=detail, status_code=401)
        if device.account.closed_at is not None or not device.account.user.is_active:
            raise ApiError(code="account_closed", detail="This account is closed.", status_code=401)
        now = timezone.now()
        if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_RESOLUTION:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
        return device.account.user, device

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
