"""The app's backup file (format `vault-backup-1`): encrypted item records stamped with the
account ID and key generation they were written under."""

import json
from datetime import UTC, datetime
from pathlib import Path

from .errors import ClientError

BACKUP_FORMAT = "vault-backup-1"


def backup_write(path: str | Path, *, account_id: str, generation: int, items: list[dict]) -> Path:
    """Write the encrypted item records to `path`, stamped with account ID and generation."""
    backup = {
        "format": BACKUP_FORMAT,
        "account_id": account_id,
        "generation": generation,
        "exported_at": datetime.now(UTC).isoformat(),
        "items": items,
    }
    path = Path(path)
    path.write_text(json.dumps(backup, indent=1))
    return path


def backup_read(path: str | Path) -> tuple[str, int, list[dict]]:
    """Return (account ID, generation, item records) of a backup file, or raise `backup_invalid`."""
    try:
        backup = json.loads(Path(path).read_text())
        account_id, generation = backup["account_id"], int(backup["generation"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ClientError("backup_invalid", f"{path} is not a vault backup file.")
    if backup.get("format") != BACKUP_FORMAT:
        raise ClientError("backup_invalid", f"{path} is not a vault backup file this client can read.")
    return account_id, generation, backup["items"]
