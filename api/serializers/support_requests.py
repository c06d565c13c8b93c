"""Shapes of support requests (issue 19): what the customer sees, and the signed approval."""

from rest_framework import serializers


class SupportRequestSerializer(serializers.Serializer):
    """A pending "support asks you to confirm it is you" request (issue 19)."""

    id = serializers.UUIDField(source="public_id")
    agent = serializers.CharField(help_text="The agent's display name, as they introduced themselves.")
    conversation = serializers.CharField(help_text='"chat", "ticket" or "account page", and its reference.')
    code = serializers.CharField(
        source="short_code", help_text="Six characters the agent also sees: approve only if they match."
    )
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class SupportApproveSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=12, help_text="The code shown with the request (and to the agent)."
    )
    signature = serializers.CharField(
        max_length=128,
        help_text=(
            'Ed25519 signature, base64url, of "vault-support-proof-v1:<account ID>:<request id>:<code>:'
            '<device_uid>" with the key derived from the account key (docs/qr-format.md).'
        ),
    )
