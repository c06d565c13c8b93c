"""The fields and base classes every API shape is built from (binary travels as unpadded base64url)."""

import base64
import binascii

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.kdf import KdfParams, auth_key_clean
from accounts.passwords import HINT_MAX_LENGTH

from ..errors import ApiError
from ..qrpayload import TEXT_MAX_LENGTH

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


class DetailSerializer(serializers.Serializer):
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
                if isinstance(field, KdfSerializer) and data.get(name) is None:
                    raise ApiError(
                        code="kdf_missing",
                        detail=f"{name} is missing: send the salt, iterations, memory_kib and parallelism "
                        "the auth key was derived with.",
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


class PasswordHintField(serializers.CharField):
    """The password hint (also accepted as `hint`): a hint over the limit is `hint_invalid`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"At most {HINT_MAX_LENGTH} characters. Also accepted as `hint`.")
        super().__init__(max_length=HINT_MAX_LENGTH, required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > HINT_MAX_LENGTH:
            raise ApiError(
                code="hint_invalid",
                detail=f"The password hint must have at most {HINT_MAX_LENGTH} characters: "
                "write a shorter one.",
            )
        return text


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
