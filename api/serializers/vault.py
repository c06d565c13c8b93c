"""Shapes of vault sync: encrypted items, change pages, the backup check."""

from rest_framework import serializers

from .base import Base64UrlField


class VaultItemSerializer(serializers.Serializer):
    item_id = serializers.UUIDField()
    ciphertext = Base64UrlField(allow_blank=True)
    nonce = Base64UrlField(allow_blank=True)
    generation = serializers.IntegerField()
    revision = serializers.IntegerField()
    deleted = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class VaultItemWriteSerializer(serializers.Serializer):
    ciphertext = Base64UrlField(
        max_bytes=2 * 1024 * 1024,
        help_text="AES-256-GCM output (16-byte tag included), unpadded base64url. At most "
        "`API_VAULT_ITEM_MAX_BYTES` (64 KiB by default) of ciphertext: more is 413 `item_too_large`.",
    )
    nonce = Base64UrlField(max_bytes=24, help_text="The 12-byte AES-GCM nonce, unpadded base64url.")
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
