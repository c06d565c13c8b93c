"""Shapes of sign-in and devices: pre-login, sign-up, sign-in, ownership proof, the device list."""

from rest_framework import serializers

from core.hidden_characters import HiddenCharactersValidator

from .base import AuthKeyField, KdfCostsSerializer, KdfSerializer, PasswordHintField, ZeroKnowledgeSerializer


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
    password_hint = PasswordHintField(default="")


class SignUpResultSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DeviceFields(serializers.Serializer):
    device_uid = serializers.RegexField(r"^[A-Za-z0-9_.:-]{8,100}$", help_text="A random id the app keeps.")
    # Shown on the account page, the reset link page and in the console: one line of visible text.
    device_name = serializers.CharField(
        max_length=100,
        validators=[HiddenCharactersValidator("device name")],
        help_text="What the owner calls this device. Text-direction, zero-width and control characters "
        "are refused (`invalid`): drop them before sending.",
    )
    platform = serializers.CharField(max_length=40, validators=[HiddenCharactersValidator("platform")])


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


class DeviceVerifySerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=64)
    signature = serializers.CharField(max_length=128, help_text="Ed25519 signature, base64url.")


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    platform = serializers.CharField()
    verified = serializers.BooleanField(source="is_active")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
