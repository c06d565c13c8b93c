"""Input and output shapes of the app API (binary fields travel as unpadded base64url)."""

import base64
import binascii

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.kdf import KdfParams, auth_key_clean

from .errors import ApiError
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


# Fields that would carry the Account Password itself: refused wherever they appear.
PASSWORD_FIELDS = ("password", "current_password", "new_password", "password1", "password2")
PASSWORD_NOT_ACCEPTED = ApiError(
    code="password_not_accepted",
    detail=(
        "Send the auth key derived on the device, never the password "
        "(docs/auth-protocol.md: pre-login, Argon2id, HKDF)."
    ),
)


class ZeroKnowledgeSerializer(serializers.Serializer):
    """Refuses a body that carries a password field, before any other check; maps field aliases."""

    ALIASES: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if any(name in data for name in PASSWORD_FIELDS):
                raise PASSWORD_NOT_ACCEPTED
            data = dict(data)
            for alias, name in self.ALIASES.items():
                if alias in data and name not in data:
                    data[name] = data.pop(alias)
            for name, field in self.fields.items():
                if isinstance(field, AuthKeyField) and not data.get(name):
                    raise ApiError(
                        code="auth_key_missing",
                        detail=f"{name} is missing: derive it on the device from the password "
                        "(docs/auth-protocol.md) and send it instead of the password.",
                    )
        return super().to_internal_value(data)


class AuthKeyField(serializers.CharField):
    """The 43-character base64url auth key the device derived (accounts.kdf.auth_key_clean)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "HKDF-SHA256 of the Argon2id master key: 32 bytes, base64url.")
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        try:
            return auth_key_clean(data if isinstance(data, str) else None)
        except DjangoValidationError:
            raise ApiError(
                code="auth_key_invalid",
                detail=f"{self.field_name} must be the 32-byte auth key derived on the device, as 43 "
                "characters of unpadded base64url (docs/auth-protocol.md).",
            )


class KdfSerializer(serializers.Serializer):
    salt = serializers.CharField(help_text="16 random bytes, unpadded base64url (22 characters).")
    iterations = serializers.IntegerField()
    memory_kib = serializers.IntegerField()
    parallelism = serializers.IntegerField()

    def to_internal_value(self, data):
        try:
            return KdfParams.from_data(data)
        except DjangoValidationError as exc:
            raise ApiError(code=exc.code or "kdf_invalid", detail=" ".join(exc.messages))

    def to_representation(self, instance):
        return instance.as_dict()


class KdfCostsSerializer(serializers.Serializer):
    iterations = serializers.IntegerField()
    memory_kib = serializers.IntegerField()
    parallelism = serializers.IntegerField()


class PreloginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PreloginResultSerializer(serializers.Serializer):
    kdf = serializers.ChoiceField(choices=["argon2id"])
    salt = serializers.CharField()
    iterations = serializers.IntegerField()
    memory_kib = serializers.IntegerField()
    parallelism = serializers.IntegerField()


class SignUpSerializer(ZeroKnowledgeSerializer):
    ALIASES = {"hint": "password_hint"}

    email = serializers.EmailField(max_length=254)
    auth_key = AuthKeyField()
    kdf = KdfSerializer()
    password_hint = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Also accepted as `hint`."
    )


class SignUpResultSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DeviceFields(serializers.Serializer):
    device_uid = serializers.RegexField(r"^[A-Za-z0-9_.:-]{8,100}$", help_text="A random id the app keeps.")
    device_name = serializers.CharField(max_length=100)
    platform = serializers.CharField(max_length=40)


class SignInSerializer(ZeroKnowledgeSerializer, DeviceFields):
    email = serializers.EmailField(max_length=254)
    auth_key = AuthKeyField()


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
    kdf_upgrade = serializers.BooleanField(
        help_text="The account's Argon2id costs are below today's default: re-key via change password."
    )
    kdf_default = KdfCostsSerializer(help_text="Today's default costs: derive new credentials with these.")


class AccountKeySetupSerializer(serializers.Serializer):
    generation = serializers.IntegerField(min_value=1, max_value=2**31)
    verifier = serializers.CharField(max_length=64, help_text="Ed25519 public key, base64url.")
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class PayloadSerializer(serializers.Serializer):
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD)


class DeviceVerifySerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=64)
    signature = serializers.CharField(max_length=128, help_text="Ed25519 signature, base64url.")


class PasswordChangeSerializer(ZeroKnowledgeSerializer):
    ALIASES = {"hint": "password_hint", "payload": "encrypted_account_key"}

    current_auth_key = AuthKeyField()
    new_auth_key = AuthKeyField()
    new_kdf = KdfSerializer()
    encrypted_account_key = serializers.CharField(**PAYLOAD_FIELD, help_text="Also accepted as `payload`.")
    password_hint = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Also accepted as `hint`."
    )


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
    # A reset without the second factor (lost too) waits until then; the app should warn loudly
    # and offer "this wasn't me" (DELETE account/reset-request/). Null for an ordinary reset.
    cooling_off_until = serializers.DateTimeField(allow_null=True)


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
