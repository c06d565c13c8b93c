"""Shapes of the account and its keys: key set-up, QR resend, password change, status, licence."""

from rest_framework import serializers

from .base import PAYLOAD_FIELD, AuthKeyField, KdfSerializer, PasswordHintField, ZeroKnowledgeSerializer
from .devices import DeviceSerializer


class AccountKeySetupSerializer(serializers.Serializer):
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    verifier = serializers.CharField(max_length=64, help_text="Ed25519 public key, base64url.")
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class PayloadSerializer(serializers.Serializer):
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class PasswordChangeSerializer(ZeroKnowledgeSerializer):
    ALIASES = {"hint": "password_hint", "payload": "encrypted_account_key"}

    current_auth_key = AuthKeyField()
    new_auth_key = AuthKeyField()
    new_kdf = KdfSerializer()
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD, help_text="Also accepted as `payload`.")
    password_hint = PasswordHintField()


class LicenceSerializer(serializers.Serializer):
    plan = serializers.CharField()
    status = serializers.CharField()
    seats = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)


class PendingResetSerializer(serializers.Serializer):
    state = serializers.CharField()
    requested_at = serializers.DateTimeField(source="created_at")
    expires_at = serializers.DateTimeField()
    # A reset without the second factor (lost too) waits until then; the app should warn loudly
    # and offer "this wasn't me" (DELETE account/reset-request/). Null for an ordinary reset.
    cooling_off_until = serializers.DateTimeField(allow_null=True)


class AccountStatusSerializer(serializers.Serializer):
    account_id = serializers.CharField()
    email = serializers.EmailField()
    generation = serializers.IntegerField()
    has_account_key = serializers.BooleanField()
    vault_revision = serializers.IntegerField()
    device = DeviceSerializer()
    licence = LicenceSerializer()
    pending_reset = PendingResetSerializer(allow_null=True)
