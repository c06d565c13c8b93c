"""The account and its keys: status, licence, account key set-up, QR resend, password, pending reset."""

from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.origin import Origin
from resets.services import reset_cancel

from .. import selectors
from .. import serializers as s
from ..errors import ApiError
from ..permissions import HasDeviceToken
from ..services import devices as device_services
from ..services import keys as key_services
from ..services import passwords as password_services
from ..throttles import VerifyDeviceThrottle
from .base import ERRORS, parse


class AccountStatusView(APIView):
    @extend_schema(responses={200: s.AccountStatusSerializer, **ERRORS})
    def get(self, request):
        """Account ID, key generation, this device, licence and any pending reset request."""
        account = selectors.account_with_license(request.auth.account_id)
        body = {
            "account_id": account.account_id,
            "email": account.user.email,
            "generation": account.key_generation,
            "has_account_key": device_services.verifier_live(account) is not None,
            "vault_revision": account.vault_revision,
            "device": request.auth,
            "licence": account.license,
            "pending_reset": selectors.reset_pending(account),
        }
        return Response(s.AccountStatusSerializer(body).data)


class LicenceView(APIView):
    @extend_schema(responses={200: s.LicenceSerializer, **ERRORS})
    def get(self, request):
        """The account's licence: plan, status, seats, expiry."""
        account = selectors.account_with_license(request.auth.account_id)
        return Response(s.LicenceSerializer(account.license).data)


class AccountKeyView(APIView):
    permission_classes = [HasDeviceToken]
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.AccountKeySetupSerializer, responses={201: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Set up the account key of the current generation (verifier + QR payload to e-mail)."""
        data = parse(s.AccountKeySetupSerializer, request.data)
        key_services.account_key_setup(
            device=request.auth,
            generation=data["generation"],
            verifier=data["verifier"],
            payload=data["encrypted_account_key"],
            origin=Origin.from_request(request),
        )
        return Response(
            {"detail": "Account key created. Your QR code is on its way by e-mail."},
            status=status.HTTP_201_CREATED,
        )


class QrResendView(APIView):
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.PayloadSerializer, responses={202: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """E-mail the Encrypted Account Key (QR code) again."""
        data = parse(s.PayloadSerializer, request.data)
        key_services.qr_resend(
            device=request.auth, payload=data["encrypted_account_key"], origin=Origin.from_request(request)
        )
        return Response({"detail": "Your QR code is on its way by e-mail."}, status=status.HTTP_202_ACCEPTED)


class PasswordChangeView(APIView):
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Change the Account Password; the vault is kept and the new QR code is e-mailed."""
        data = parse(s.PasswordChangeSerializer, request.data)
        signed_out = password_services.password_change(
            device=request.auth,
            current_auth_key=data["current_auth_key"],
            new_auth_key=data["new_auth_key"],
            new_kdf=data["new_kdf"],
            payload=data["encrypted_account_key"],
            password_hint=data.get("password_hint"),
            origin=Origin.from_request(request),
        )
        return Response(
            {
                "detail": f"Password changed. {signed_out} other device(s) must sign in again; "
                "your new QR code is on its way by e-mail."
            }
        )


class PendingResetView(APIView):
    @extend_schema(request=None, responses={200: s.DetailSerializer, **ERRORS})
    def delete(self, request):
        """Cancel the account's pending reset request from an unlocked app ("this wasn't me")."""
        pending = selectors.reset_pending(request.auth.account)
        if pending is None or not reset_cancel(
            reset_request=pending, origin=Origin.from_request(request), via="app"
        ):
            raise ApiError(
                code="no_pending_reset",
                detail="There is no pending reset request on this account.",
                status_code=404,
            )
        return Response({"detail": "The reset request is cancelled. Its e-mail link no longer works."})
