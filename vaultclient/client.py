"""What an app does, step by step: sign in, set up or unlock the account key, sync, back up.

The account side (state file, sign-in, keys, devices, support checks) is `session.AccountSession`;
`VaultClient` adds the vault items, their sync and the backups.
"""

import json
import uuid
from pathlib import Path

from . import crypto
from .backup import backup_read, backup_write
from .errors import ClientError
from .session import AccountSession, qr_png_read

__all__ = ["ClientError", "VaultClient", "qr_png_read"]


def _record_open(account_key: bytes, item_id: str, record: dict) -> bytes:
    """Decrypt one stored item record (generation, base64url ciphertext and nonce)."""
    return crypto.item_open(
        account_key=account_key,
        item_id=item_id,
        generation=record["generation"],
        ciphertext=crypto.b64url_decode(record["ciphertext"]),
        nonce=crypto.b64url_decode(record["nonce"]),
    )


class VaultClient(AccountSession):
    """One app install: the account session plus the encrypted local vault, its sync and backups.

    A real app keeps the account key in the platform keystore; this reference client keeps it in
    its state file (mode 0600), which is fine for tests and demos only.
    """

    # -- vault --------------------------------------------------------------------------------
    def add(self, *, name: str, secret: str, item_id: str | None = None) -> str:
        item_id = item_id or str(uuid.uuid4())
        self._push(item_id, json.dumps({"name": name, "secret": secret}).encode(), create=True)
        return item_id

    def _push(self, item_id: str, plaintext: bytes, *, create: bool) -> dict:
        generation = self._generation()
        ciphertext, nonce = crypto.item_seal(
            account_key=self._account_key(), item_id=item_id, generation=generation, plaintext=plaintext
        )
        body = {
            "ciphertext": crypto.b64url(ciphertext),
            "nonce": crypto.b64url(nonce),
            "generation": generation,
        }
        if create:
            record = self._call("POST", "vault/items/", json={"item_id": item_id, **body})
        else:
            record = self._call("PUT", f"vault/items/{item_id}/", json=body)
        self._record_own_write(record)
        return record

    def _record_own_write(self, record: dict) -> None:
        """Keep our own write; move the cursor past it only if nothing else happened in between."""
        self.state["items"][record["item_id"]] = record
        if record["revision"] == self.state["cursor"] + 1:
            self.state["cursor"] = record["revision"]
        self._save()

    def delete(self, item_id: str) -> None:
        record = self._call("DELETE", f"vault/items/{item_id}/", json={"generation": self._generation()})
        self._record_own_write(record)

    def sync(self) -> int:
        """Fetch every change since the last sync; return how many records changed."""
        changed = 0
        while True:
            body = self._call(
                "GET",
                "vault/items/",
                params={"generation": self._generation(), "since": self.state["cursor"]},
            )
            for record in body["items"]:
                self.state["items"][record["item_id"]] = record
            changed += len(body["items"])
            self.state["cursor"] = body["cursor"]
            if not body["more"]:
                break
        self._save()
        return changed

    def items(self) -> list[dict]:
        """The decrypted live items, by name."""
        account_key = self._account_key()
        result = []
        for item_id, record in self.state["items"].items():
            if record["deleted"]:
                continue
            plaintext = _record_open(account_key, item_id, record)
            result.append({"item_id": item_id, **json.loads(plaintext)})
        return sorted(result, key=lambda item: item["name"])

    # -- backups ------------------------------------------------------------------------------
    def backup_export(self, path: str | Path) -> Path:
        """Write the encrypted local vault, stamped with account ID and generation."""
        items = [r for r in self.state["items"].values() if not r["deleted"]]
        return backup_write(
            path, account_id=self.state["account_id"], generation=self._generation(), items=items
        )

    def backup_import(self, path: str | Path) -> int:
        """Upload a backup's items; refuse a backup of another account or an older generation."""
        account_id, generation, records = backup_read(path)
        check = self._call(
            "POST", "backups/check/", json={"account_id": account_id, "generation": generation}
        )
        if check["status"] != "current":
            raise ClientError(
                "backup_obsolete",
                f"This backup is obsolete: made under key generation {generation}, while the account is "
                f"now on generation {check['current_generation']} (reset since): it cannot be restored.",
            )
        account_key = self._account_key()
        restored = 0
        for record in records:
            plaintext = _record_open(account_key, record["item_id"], record)
            try:
                self._push(record["item_id"], plaintext, create=True)
            except ClientError as exc:
                if exc.code != "item_exists":
                    raise
                self._push(record["item_id"], plaintext, create=False)
            restored += 1
        return restored
