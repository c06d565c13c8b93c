"""Input and output shapes of the app API (binary fields travel as unpadded base64url)."""

import base64
import binascii

from rest_framework import serializers

from .qrpayload import TEXT_MAX_LENGTH

PAYLOAD_FIELD = {"max_length": TEXT_MAX_LENGTH, "trim_whitespace": True}


class Base64UrlField(serializers.CharField):
    """Bytes as unpadded base64url text."""

    def __init__(self, *, max_bytes: int | None = None, **kwargs):
        self.max_bytes = max_bytes
        if max_bytes is not None:
            kwargs.setdefault("max_length", (max_bytes * 4 + 2) // 3 + 4)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64url.")

    def to_representation(self, value):
        return base64.urlsafe_b64encode(bytes(value)).rstrip(b"=").decode()


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    detail = serializers.CharField()


class SignUpSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    password_hint = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SignUpResultSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DeviceFields(serializers.Serializer):
    device_uid = serializers.RegexField(r"^[A-Za-z0-9_.:-]{8,100}$", help_text="A random id the app keeps.")
    device_name = serializers.CharField(max_length=100)
    platform = serializers.CharField(max_length=40)


class SignInSerializer(DeviceFields):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class ChallengeSerializer(serializers.Serializer):
    value = serializers.CharField()
    expires_at = serializers.DateTimeField()


class SignInResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["authorized", "owner_verification_required", "account_key_setup_required"]
    )
    detail = serializers.CharField()
    device_token = serializers.CharField()
    account_id = serializers.CharField()
    generation = serializers.IntegerField()
    challenge = ChallengeSerializer(allow_null=True)


class AccountKeySetupSerializer(serializers.Serializer):
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    verifier = serializers.CharField(max_length=64, help_text="Ed25519 public key, base64url.")
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class PayloadSerializer(serializers.Serializer):
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class DeviceVerifySerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=64)
    signature = serializers.CharField(max_length=128, help_text="Ed25519 signature, base64url.")


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)
    password_hint = serializers.CharField(max_length=200, required=False, allow_blank=True)


class VaultItemSerializer(serializers.Serializer):
    item_id = serializers.UUIDField()
    ciphertext = Base64UrlField(allow_blank=True)
    nonce = Base64UrlField(allow_blank=True)
    generation = serializers.IntegerField()
    revision = serializers.IntegerField()
    deleted = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class VaultItemWriteSerializer(serializers.Serializer):
    ciphertext = Base64UrlField(max_bytes=2 * 1024 * 1024)
    nonce = Base64UrlField(max_bytes=24)
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    base_revision = serializers.IntegerField(min_value=0, max_value=2**62, required=False)


class VaultItemCreateSerializer(VaultItemWriteSerializer):
    item_id = serializers.UUIDField()


class VaultItemDeleteSerializer(serializers.Serializer):
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    base_revision = serializers.IntegerField(min_value=0, max_value=2**62, required=False)


class VaultQuerySerializer(serializers.Serializer):
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    since = serializers.IntegerField(min_value=0, max_value=2**62, default=0)


class VaultChangesSerializer(serializers.Serializer):
    generation = serializers.IntegerField()
    cursor = serializers.IntegerField(help_text="Pass as `since` next time.")
    more = serializers.BooleanField(
        help_text="True when another page follows: ask again with `since=cursor`."
    )
    items = VaultItemSerializer(many=True)


class BackupCheckSerializer(serializers.Serializer):
    account_id = serializers.CharField(max_length=20)
    generation = serializers.IntegerField(min_value=0, max_value=2**31)


class BackupCheckResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["current", "obsolete"])
    generation = serializers.IntegerField()
    current_generation = serializers.IntegerField()
    detail = serializers.CharField()


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


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    platform = serializers.CharField()
    verified = serializers.BooleanField(source="is_active")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class AccountStatusSerializer(serializers.Serializer):
    account_id = serializers.CharField()
    email = serializers.EmailField()
    generation = serializers.IntegerField()
    has_account_key = serializers.BooleanField()
    vault_revision = serializers.IntegerField()
    device = DeviceSerializer()
    licence = LicenceSerializer()
    pending_reset = PendingResetSerializer(allow_null=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
