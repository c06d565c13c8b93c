"""The app API: thin views that parse input, call one service and shape the answer."""

from django.shortcuts import get_object_or_404
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.kdf import kdf_default, prelogin_params
from accounts.models import Device
from core.origin import Origin
from proofs import selectors as proof_selectors
from proofs import services as proof_services
from resets.services import reset_cancel

from . import selectors
from . import serializers as s
from .errors import ApiError
from .permissions import HasDeviceToken
from .services import devices as device_services
from .services import keys as key_services
from .services import passwords as password_services
from .services import signup as signup_services
from .services import vault as vault_services
from .throttles import (
    PreloginEmailThrottle,
    PreloginIPThrottle,
    SignInEmailThrottle,
    SignInIPThrottle,
    SignUpIPThrottle,
    VerifyDeviceThrottle,
)

ERRORS = {code: OpenApiResponse(s.ErrorSerializer) for code in (400, 401, 403, 404, 409, 413, 422, 429)}

SIGN_IN_DETAIL = {
    "authorized": "Signed in.",
    "owner_verification_required": (
        "New device: prove you own the account by scanning the QR code from your latest account key "
        "e-mail, then sign the challenge."
    ),
    "account_key_setup_required": "This account has no account key yet: create one on this device.",
}


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


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
        data = _parse(s.PreloginSerializer, request.data)
        return Response(prelogin_params(data["email"]).prelogin_dict())


class SignUpView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpIPThrottle]

    @extend_schema(request=s.SignUpSerializer, responses={202: s.SignUpResultSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Create an account. The answer is the same whether or not the address already had one."""
        data = _parse(s.SignUpSerializer, request.data)
        signup_services.account_signup(**data, request=request, origin=Origin.from_request(request))
        return Response(
            {"detail": "If this address can be used, the account is ready: sign in from the app."},
            status=status.HTTP_202_ACCEPTED,
        )


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
        data = _parse(s.SignInSerializer, request.data)
        result = device_services.device_sign_in(**data, origin=Origin.from_request(request))
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


class AccountKeyView(APIView):
    permission_classes = [HasDeviceToken]
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.AccountKeySetupSerializer, responses={201: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Set up the account key of the current generation (verifier + QR payload to e-mail)."""
        data = _parse(s.AccountKeySetupSerializer, request.data)
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
        data = _parse(s.PayloadSerializer, request.data)
        key_services.qr_resend(
            device=request.auth, payload=data["encrypted_account_key"], origin=Origin.from_request(request)
        )
        return Response({"detail": "Your QR code is on its way by e-mail."}, status=status.HTTP_202_ACCEPTED)


class DeviceVerifyView(APIView):
    permission_classes = [HasDeviceToken]
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.DeviceVerifySerializer, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request):
        """Prove ownership: the challenge signed with the key derived from the account key."""
        data = _parse(s.DeviceVerifySerializer, request.data)
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
        """The account's devices."""
        return Response(s.DeviceSerializer(selectors.account_devices(request.auth.account), many=True).data)


class DeviceSignOutView(APIView):
    @extend_schema(request=None, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        """Sign out one of the account's devices."""
        device = get_object_or_404(Device, pk=pk, account=request.auth.account)
        device_services.device_sign_out(device=device, origin=Origin.from_request(request))
        return Response({"detail": "The device is signed out."})


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


class PasswordChangeView(APIView):
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data", "result", "body")
    def post(self, request):
        """Change the Account Password; the vault is kept and the new QR code is e-mailed."""
        data = _parse(s.PasswordChangeSerializer, request.data)
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


class VaultItemsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("generation", int, required=True),
            OpenApiParameter("since", int, required=False, description="Cursor from the last sync."),
        ],
        responses={200: s.VaultChangesSerializer, **ERRORS},
    )
    def get(self, request):
        """Items changed since the cursor (tombstones included), one page at a time."""
        query = _parse(s.VaultQuerySerializer, request.query_params)
        page = vault_services.vault_changes_page(
            account=request.auth.account, generation=query["generation"], since=query["since"]
        )
        return Response(s.VaultChangesSerializer(page).data)

    @extend_schema(request=s.VaultItemCreateSerializer, responses={201: s.VaultItemSerializer, **ERRORS})
    def post(self, request):
        """Add an encrypted item written under the given generation."""
        data = _parse(s.VaultItemCreateSerializer, request.data)
        data.pop("base_revision", None)
        item = vault_services.vault_item_create(account=request.auth.account, **data)
        return Response(s.VaultItemSerializer(item).data, status=status.HTTP_201_CREATED)


class VaultItemView(APIView):
    @extend_schema(request=s.VaultItemWriteSerializer, responses={200: s.VaultItemSerializer, **ERRORS})
    def put(self, request, item_id):
        """Replace an item's ciphertext (optionally only if it is still at `base_revision`)."""
        data = _parse(s.VaultItemWriteSerializer, request.data)
        item = vault_services.vault_item_update(account=request.auth.account, item_id=item_id, **data)
        return Response(s.VaultItemSerializer(item).data)

    @extend_schema(request=s.VaultItemDeleteSerializer, responses={200: s.VaultItemSerializer, **ERRORS})
    def delete(self, request, item_id):
        """Delete an item (a tombstone stays for the other devices' sync)."""
        data = _parse(s.VaultItemDeleteSerializer, request.data)
        item = vault_services.vault_item_delete(account=request.auth.account, item_id=item_id, **data)
        return Response(s.VaultItemSerializer(item).data)


class BackupCheckView(APIView):
    @extend_schema(request=s.BackupCheckSerializer, responses={200: s.BackupCheckResultSerializer, **ERRORS})
    def post(self, request):
        """Say whether a backup or sync file (account ID + generation) is current or obsolete."""
        data = _parse(s.BackupCheckSerializer, request.data)
        return Response(vault_services.backup_check(account=request.auth.account, **data))


class LicenceView(APIView):
    @extend_schema(responses={200: s.LicenceSerializer, **ERRORS})
    def get(self, request):
        """The account's licence: plan, status, seats, expiry."""
        account = selectors.account_with_license(request.auth.account_id)
        return Response(s.LicenceSerializer(account.license).data)


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


def _proof_call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except proof_services.ProofError as exc:
        raise ApiError(code=exc.code, detail=exc.detail, status_code=exc.status_code)


class SupportRequestListView(APIView):
    @extend_schema(responses={200: s.SupportRequestSerializer(many=True), **ERRORS})
    def get(self, request):
        """Pending "support asks you to confirm it is you" requests of the account.

        Support never asks for a password, a QR code or recovery codes: it asks the customer to
        approve one of these in an unlocked app. Show the agent's name, the conversation and the
        code; the customer approves only if the agent shows the same code. Requests expire after
        10 minutes (setting `OWNER_PROOF_TTL_SECONDS`) and are single use.
        """
        rows = [
            {
                "public_id": proof.public_id,
                "agent": proof_services.agent_display_name(proof.agent),
                "conversation": f"{proof.get_conversation_kind_display()} {proof.conversation_ref}",
                "short_code": proof.short_code,
                "created_at": proof.created_at,
                "expires_at": proof.expires_at,
            }
            for proof in proof_selectors.proofs_pending_for_account(request.auth.account)
        ]
        return Response(s.SupportRequestSerializer(rows, many=True).data)


class SupportRequestApproveView(APIView):
    throttle_classes = [VerifyDeviceThrottle]

    @extend_schema(request=s.SupportApproveSerializer, responses={200: s.DetailSerializer, **ERRORS})
    @sensitive_variables("data")
    def post(self, request, pk):
        """Approve a support request: proves to the agent that the account's owner is on the line.

        The body carries the code and an Ed25519 signature over
        `vault-support-proof-v1:<account ID>:<request id>:<code>:<device_uid>` made with the key
        derived from the account key (the same key as the new-device proof). The server checks it
        against the live verifier, so a device token alone cannot approve. Errors:
        `proof_not_found` (404), `proof_expired` (410), `proof_used` (409), `code_mismatch` and
        `signature_invalid` (403; a few wrong answers fail the request).
        """
        data = _parse(s.SupportApproveSerializer, request.data)
        _proof_call(
            proof_services.proof_approve_app,
            device=request.auth,
            proof_id=pk,
            code=data["code"],
            signature=data["signature"],
            origin=Origin.from_request(request),
        )
        return Response({"detail": "Approved: support now knows it is you."})


class SupportRequestRefuseView(APIView):
    @extend_schema(request=None, responses={200: s.DetailSerializer, **ERRORS})
    def post(self, request, pk):
        """Refuse a support request ("this is not me"): the agent sees "proof refused"."""
        _proof_call(
            proof_services.proof_refuse_app,
            device=request.auth,
            proof_id=pk,
            origin=Origin.from_request(request),
        )
        return Response({"detail": "Refused: support has been told."})
