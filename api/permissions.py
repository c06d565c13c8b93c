"""Who may call what: a verified device, or a device still proving ownership."""

from rest_framework.permissions import BasePermission

from accounts.models import Device

from .errors import ApiError


class HasDeviceToken(BasePermission):
    """Any signed-in device, verified or not (key set-up and ownership proof)."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, Device):
            raise ApiError(
                code="not_authenticated",
                detail="Sign in on this device first and send its token as 'Bearer <token>'.",
                status_code=401,
            )
        return True


class IsAuthorizedDevice(HasDeviceToken):
    """A device that proved it holds the account key (or set it up)."""

    def has_permission(self, request, view):
        super().has_permission(request, view)
        if request.auth.authorized_at is None:
            raise ApiError(
                code="owner_verification_required",
                detail="Verify this device with your QR code (Encrypted Account Key) first.",
                status_code=403,
            )
        return True
