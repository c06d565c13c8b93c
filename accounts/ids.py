"""Account IDs: 10 characters from an alphabet without look-alike characters."""

import secrets

ACCOUNT_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCOUNT_ID_LENGTH = 10


def account_id_new() -> str:
    """Return a fresh random account ID (about 49 bits)."""
    return "".join(secrets.choice(ACCOUNT_ID_ALPHABET) for _ in range(ACCOUNT_ID_LENGTH))


def account_id_normalise(value: str) -> str:
    """Return value as an account ID would be typed back to us (upper case, no spaces or dashes)."""
    return value.strip().upper().replace("-", "").replace(" ", "")


def account_id_is_valid(value: str) -> bool:
    """Say whether value has the shape of an account ID."""
    return len(value) == ACCOUNT_ID_LENGTH and all(c in ACCOUNT_ID_ALPHABET for c in value)
