"""Devices and sign-in: pre-login, sign-up, sign-in, ownership proof, sign-out, the device list."""

from allauth.account import app_settings as allauth_account_settings
from allauth.core.internal.ratelimit import parse_rates
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.adapters import SignInLimited, sign_in_attempt
from accounts.kdf import kdf_default, prelogin_params
from accounts.models import Device
from core.origin import Origin

from .. import selectors
from .. import serializers as s
from ..permissions import HasDeviceToken
from ..services import devices as device_services
from ..services import signup as signup_services
from ..throttles import (
    PreloginEmailThrottle,
    PreloginIPThrottle,
    SignInEmailThrottle,
    SignInIPThrottle,
    SignUpIPThrottle,
    VerifyDeviceThrottle,
)
from .base import ERRORS, parse


def _sign_in_limit_wait() -> int:
    """Retry-After once the shared wrong-password limit is used up: its longest window."""
    rates = parse_rates(allauth_account_settings.RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=60))


SIGN_IN_DETAIL = {
    "authorized": "Signed in.",
    "owner_verification_required": (
        "New device: prove you own the account by scanning the QR code from your latest account key "
        "e-mail, then sign the challenge."
    ),
    "account_key_setup_required": "This account has no account key yet: create one on this device.",
}


class PreloginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PreloginIPThrottle, PreloginEmailThrottle]

    @extend_schema(request=s.PreloginSerializer, responses={200: s.PreloginResultSerializer, **ERRORS})
    def post(self, request):
        """The salt and Argon2id costs to derive the auth key of an address with.

        An address without an account gets stand-ins of the same shape (stable, derived under a
        server secret): the answer never tells whether the address has an account.
        """
        data = parse(s.PreloginSerializer, request.data)
        return Response(prelogin_params(data["email"]).prelogin_dict())


class SignUpView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpIPThrottle]

    @extend_schema(request=s.SignUpSerializer, responses={202: s.SignUpResultSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Create an account. The answer is the same whether or not the address already had one."""
        data = parse(s.SignUpSerializer, request.data)
        signup_services.account_signup(**data, request=request, origin=Origin.from_request(request))
        return Response(
            {"detail": "If this address can be used, the account is ready: sign in from the app."},
            status=status.HTTP_202_ACCEPTED,
        )


# The answer carries the device token, to a request that is not signed in yet: the portal's
# signed-in no-store rule (core.middleware) does not see it, so the view says it (RFC 6749 §5.1).
@method_decorator(never_cache, name="dispatch")
class SignInView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInIPThrottle, SignInEmailThrottle]

    @extend_schema(
        request=s.SignInSerializer,
        responses={200: s.SignInResultSerializer, 202: s.SignInResultSerializer, **ERRORS},
    )
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Sign in a device; a new device must then prove ownership or set up the account key."""
        data = parse(s.SignInSerializer, request.data)
        try:
            # Wrong passwords per address count with the web sign-in's (one limit for both doors).
            with sign_in_attempt(request, email=data["email"]):
                result = device_services.device_sign_in(**data, origin=Origin.from_request(request))
        except SignInLimited:
            raise exceptions.Throttled(wait=_sign_in_limit_wait()) from None
        challenge = result.challenge
        body = {
            "status": result.status,
            "detail": SIGN_IN_DETAIL[result.status],
            "device_token": result.token,
            "account_id": result.device.account.account_id,
            "generation": result.device.account.key_generation,
            "challenge": {"value": challenge.value, "expires_at": challenge.expires_at}
            if challenge
            else None,
            "kdf_upgrade": result.kdf_upgrade,
            "kdf_default": kdf_default().as_dict(),
        }
        code = status.HTTP_200_OK if result.status == "authorized" else status.HTTP_202_ACCEPTED
        return Response(s.SignInResultSerializer(body).data, status=code)


class DeviceVerifyView(APIView):
    permission_classes = [HasDeviceToken]
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.DeviceVerifySerializer, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request):
        """Prove ownership: the challenge signed with the key derived from the account key."""
        data = parse(s.DeviceVerifySerializer, request.data)
        device_services.device_verify(device=request.auth, **data, origin=Origin.from_request(request))
        return Response({"detail": "This device is verified."})


class SignOutView(APIView):
    permission_classes = [HasDeviceToken]

    @extend_schema(request=None, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request):
        """Sign this device out: its token stops working at once."""
        device_services.device_sign_out(device=request.auth, origin=Origin.from_request(request))
        return Response({"detail": "This device is signed out."})


class DeviceListView(APIView):
    @extend_schema(responses={200: s.DeviceSerializer(many=True), **ERRORS})
    def get(self, request):
        """The account's devices: the signed-in ones first, then the most recently signed out.

        At most 100 (setting `API_DEVICES_LISTED`): each sign-out and sign-in again leaves a
        signed-out device behind, and only the newest of those are listed.
        """
        return Response(s.DeviceSerializer(selectors.account_devices(request.auth.account), many=True).data)


class DeviceSignOutView(APIView):
    @extend_schema(request=None, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        """Sign out one of the account's devices."""
        device = get_object_or_404(Device, pk=pk, account=request.auth.account)
        device_services.device_sign_out(device=device, origin=Origin.from_request(request))
        return Response({"detail": "The device is signed out."})
