"""Vault sync: encrypted items changed since a cursor, writes and deletes, the backup check."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import serializers as s
from ..services import vault as vault_services
from .base import ERRORS, parse


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
        query = parse(s.VaultQuerySerializer, request.query_params)
        page = vault_services.vault_changes_page(
            account=request.auth.account, generation=query["generation"], since=query["since"]
        )
        return Response(s.VaultChangesSerializer(page).data)

    @extend_schema(request=s.VaultItemCreateSerializer, responses={201: s.VaultItemSerializer, **ERRORS})
    def post(self, request):
        """Add an encrypted item written under the given generation."""
        data = parse(s.VaultItemCreateSerializer, request.data)
        data.pop("base_revision", None)
        item = vault_services.vault_item_create(account=request.auth.account, **data)
        return Response(s.VaultItemSerializer(item).data, status=status.HTTP_201_CREATED)


class VaultItemView(APIView):
    @extend_schema(request=s.VaultItemWriteSerializer, responses={200: s.VaultItemSerializer, **ERRORS})
    def put(self, request, item_id):
        """Replace an item's ciphertext (optionally only if it is still at `base_revision`)."""
        data = parse(s.VaultItemWriteSerializer, request.data)
        item = vault_services.vault_item_update(account=request.auth.account, item_id=item_id, **data)
        return Response(s.VaultItemSerializer(item).data)

    @extend_schema(request=s.VaultItemDeleteSerializer, responses={200: s.VaultItemSerializer, **ERRORS})
    def delete(self, request, item_id):
        """Delete an item (a tombstone stays for the other devices' sync)."""
        data = parse(s.VaultItemDeleteSerializer, request.data)
        item = vault_services.vault_item_delete(account=request.auth.account, item_id=item_id, **data)
        return Response(s.VaultItemSerializer(item).data)


class BackupCheckView(APIView):
    @extend_schema(request=s.BackupCheckSerializer, responses={200: s.BackupCheckResultSerializer, **ERRORS})
    def post(self, request):
        """Say whether a backup or sync file (account ID + generation) is current or obsolete."""
        data = parse(s.BackupCheckSerializer, request.data)
        return Response(vault_services.backup_check(account=request.auth.account, **data))
