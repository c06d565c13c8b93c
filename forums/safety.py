"""Spot text that should not be posted in public: secrets are warned about, QR payloads refused."""

import re

from core.secret_text import looks_like_secret

# The payload of the Encrypted Account Key QR code: never posted, not even with a confirmation.
_QR_PAYLOAD = re.compile(r"vaultkey:", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[a-z]{2,}", re.IGNORECASE)
# An account ID: 10 characters of the account ID alphabet (accounts/ids.py), with a digit and a
# letter, optionally typed in groups ("ABCD-2345-XY").
_ACCOUNT_ID = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Z2-9 -]*\d)(?=[A-Z2-9 -]*[A-Z])"
    r"(?:[2-9A-HJ-NP-Z][ -]?){9}[2-9A-HJ-NP-Z](?![A-Za-z0-9])"
)


def text_refusal(text: str) -> str | None:
    """Return why `text` may never be posted (a QR payload), or None."""
    if _QR_PAYLOAD.search(text):
        return (
            "This looks like the content of your Encrypted Account Key QR code. Never share it, "
            "not even with us: remove it to post."
        )
    return None


def text_warnings(text: str) -> list[str]:
    """Return what in `text` looks private (each a sentence for the writer); empty when nothing does."""
    warnings = []
    if looks_like_secret(text):
        warnings.append("Something in your post looks like a password or a key.")
    if _ACCOUNT_ID.search(text):
        warnings.append("Something in your post looks like an account ID.")
    if _EMAIL.search(text):
        warnings.append("Your post contains an e-mail address.")
    return warnings
