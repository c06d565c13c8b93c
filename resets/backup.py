"""The encrypted vault backup offered on the reset page: its file name and JSON format (version 1).

Ciphertext only, streamed item by item; it can be decrypted only with the account key of the
generation named in the header.
"""

import base64
import json
from collections.abc import Iterator

from django.utils import timezone

from accounts.models import Account

from .selectors import vault_backup_items

FORMAT = "vault-encrypted-backup"
VERSION = 1


def backup_filename(account: Account) -> str:
    """Name the download after the account and its key generation."""
    return f"vault-backup-{account.account_id}-g{account.key_generation}.json"


def _b64(data) -> str:
    return base64.b64encode(bytes(data)).decode()


def backup_chunks(account: Account, item_count: int) -> Iterator[str]:
    """Yield the backup file as JSON text pieces: the header, then one vault item at a time."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "account_id": account.account_id,
        "key_generation": account.key_generation,
        "exported_at": timezone.now().isoformat(),
        "item_count": item_count,
        "note": "Ciphertext only. It can be decrypted only with the account key of this generation.",
    }
    yield json.dumps(header)[:-1] + ', "items": ['
    for index, (item_id, ciphertext, nonce, generation, revision, deleted, updated_at) in enumerate(
        vault_backup_items(account)
    ):
        item = {
            "item_id": str(item_id),
            "ciphertext": _b64(ciphertext),
            "nonce": _b64(nonce),
            "generation": generation,
            "revision": revision,
            "deleted": deleted,
            "updated_at": updated_at.isoformat(),
        }
        yield ("," if index else "") + json.dumps(item)
    yield "]}\n"
