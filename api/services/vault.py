"""Encrypted vault items: every write bumps the account's sync cursor (`vault_revision`)."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account, VaultItem

from ..errors import ApiError
from ..selectors import vault_changes
from .keys import generation_check, generation_exists_check


def _locked_account(account_id: int) -> Account:
    return Account.objects.select_for_update().get(pk=account_id)


def _next_revision(account: Account) -> int:
    account.vault_revision += 1
    account.save(update_fields=["vault_revision"])
    return account.vault_revision


def _size_check(ciphertext: bytes) -> None:
    limit = settings.API_VAULT_ITEM_MAX_BYTES
    if len(ciphertext) > limit:
        raise ApiError(
            code="item_too_large",
            detail=f"A vault item may hold at most {limit // 1024} KiB of ciphertext; this one has "
            f"{len(ciphertext) // 1024} KiB. Split it or attach less.",
            status_code=413,
        )


def vault_item_create(
    *, account: Account, item_id: uuid.UUID, ciphertext: bytes, nonce: bytes, generation: int
) -> VaultItem:
    """Store a new encrypted item written under `generation`."""
    _size_check(ciphertext)
    with transaction.atomic():
        account = _locked_account(account.pk)
        generation_check(account=account, generation=generation)
        limit = settings.API_VAULT_MAX_ITEMS
        if VaultItem.objects.filter(account=account, deleted=False).count() >= limit:
            raise ApiError(
                code="vault_full",
                detail=f"This vault already holds the maximum of {limit} items. Delete some first.",
                status_code=422,
            )
        existing = VaultItem.objects.filter(account=account, item_id=item_id).first()
        if existing is not None and not existing.deleted:
            raise ApiError(
                code="item_exists",
                detail="An item with this id already exists: update it instead.",
                status_code=409,
            )
        revision = _next_revision(account)
        if existing is not None:
            existing.ciphertext, existing.nonce, existing.generation = ciphertext, nonce, generation
            existing.revision, existing.deleted, existing.updated_at = revision, False, timezone.now()
            existing.save()
            return existing
        try:
            with transaction.atomic():
                return VaultItem.objects.create(
                    account=account,
                    item_id=item_id,
                    ciphertext=ciphertext,
                    nonce=nonce,
                    generation=generation,
                    revision=revision,
                )
        except IntegrityError:
            raise ApiError(code="item_exists", detail="An item with this id already exists.", status_code=409)


def _item_for_write(account: Account, item_id: uuid.UUID, base_revision: int | None) -> VaultItem:
    item = (
        VaultItem.objects.select_for_update().filter(account=account, item_id=item_id, deleted=False).first()
    )
    if item is None:
        raise ApiError(code="item_not_found", detail="There is no such item in this vault.", status_code=404)
    if base_revision is not None and base_revision != item.revision:
        raise ApiError(
            code="revision_conflict",
            detail=f"The item changed on another device (now revision {item.revision}). Sync first.",
            status_code=409,
            current_revision=item.revision,
        )
    return item


def vault_item_update(
    *,
    account: Account,
    item_id: uuid.UUID,
    ciphertext: bytes,
    nonce: bytes,
    generation: int,
    base_revision: int | None = None,
) -> VaultItem:
    """Replace an item's ciphertext; with `base_revision`, refuse if someone changed it since."""
    _size_check(ciphertext)
    with transaction.atomic():
        account = _locked_account(account.pk)
        generation_check(account=account, generation=generation)
        item = _item_for_write(account, item_id, base_revision)
        item.ciphertext, item.nonce, item.generation = ciphertext, nonce, generation
        item.revision, item.updated_at = _next_revision(account), timezone.now()
        item.save()
        return item


def vault_item_delete(
    *, account: Account, item_id: uuid.UUID, generation: int, base_revision: int | None = None
) -> VaultItem:
    """Delete an item, keeping a tombstone so other devices learn of it at their next sync."""
    with transaction.atomic():
        account = _locked_account(account.pk)
        generation_check(account=account, generation=generation)
        item = _item_for_write(account, item_id, base_revision)
        item.ciphertext, item.nonce, item.deleted = b"", b"", True
        item.revision, item.updated_at = _next_revision(account), timezone.now()
        item.save()
        return item


# --- Sync and backups ----------------------------------------------------------------------


@dataclass(frozen=True)
class VaultChanges:
    generation: int
    cursor: int
    more: bool
    items: list[VaultItem]


def vault_changes_page(*, account: Account, generation: int, since: int) -> VaultChanges:
    """One page of items changed after the cursor `since`, with the cursor to send next time.

    The cursor is the last item's revision; an empty page answers the account's revision, so
    that a client that is up to date stops asking, and one whose cursor is ahead of the vault
    (a restored server, a client's bug) gets it back in step instead of skipping later writes.
    """
    generation_check(account=account, generation=generation)
    items, more = vault_changes(account=account, since=since)
    cursor = items[-1].revision if items else account.vault_revision
    return VaultChanges(generation=account.key_generation, cursor=cursor, more=more, items=items)


def backup_check(*, account: Account, account_id: str, generation: int) -> dict:
    """Say whether a backup or sync file (account ID + generation) is current or obsolete."""
    if account_id.strip().upper() != account.account_id:
        raise ApiError(
            code="account_mismatch",
            detail="This backup belongs to another account.",
            status_code=422,
        )
    generation_exists_check(account=account, generation=generation)
    current = generation == account.key_generation
    detail = (
        "This backup is current."
        if current
        else f"This backup was made under key generation {generation}, but the account is now on "
        f"generation {account.key_generation}: it is obsolete and cannot be restored."
    )
    return {
        "status": "current" if current else "obsolete",
        "generation": generation,
        "current_generation": account.key_generation,
        "detail": detail,
    }
