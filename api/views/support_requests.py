"""Support requests (issue 19): support asks the customer to confirm, in an unlocked app, it is them."""

from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.origin import Origin
from proofs import selectors as proof_selectors
from proofs import services as proof_services

from .. import serializers as s
from ..errors import ApiError
from ..throttles import VerifyDeviceThrottle
from .base import ERRORS, parse


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
        10 minutes (setting `OWNER_PROOF_TTL_SECONDS`) and are single use. Only requests an app can
        answer are listed (the server chose the app for them); each is bound to one agent and one
        conversation. Then approve (signed) or refuse.
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
        `proof_not_found` (404), `proof_expired` (410), `proof_used` (409, also for a replayed
        approval), `code_mismatch` and `signature_invalid` (403; after `OWNER_PROOF_MAX_ATTEMPTS`
        wrong answers the request fails for good), `owner_verification_required` (403, the device
        has not done the QR ownership proof).
        """
        data = parse(s.SupportApproveSerializer, request.data)
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
        """Refuse a support request ("this is not me"): the agent sees "proof refused".

        No signature is needed: anyone holding this device's token may refuse. The request is then
        over (single use); the account's security events show it. Errors: `proof_not_found` (404),
        `proof_expired` (410), `proof_used` (409, already answered).
        """
        _proof_call(
            proof_services.proof_refuse_app,
            device=request.auth,
            proof_id=pk,
            origin=Origin.from_request(request),
        )
        return Response({"detail": "Refused: support has been told."})
