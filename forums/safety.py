"""Spot text that should not be posted in public: secrets are warned about, QR payloads refused."""

import re

# The payload of the Encrypted Account Key QR code: never posted, not even with a confirmation.
_QR_PAYLOAD = re.compile(r"vaultkey:", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[a-z]{2,}", re.IGNORECASE)
# An account ID: 10 characters of the account ID alphabet (accounts/ids.py), with a digit and a
# letter, optionally typed in groups ("ABCD-2345-XY").
_ACCOUNT_ID = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Z2-9 -]*\d)(?=[A-Z2-9 -]*[A-Z])"
    r"(?:[2-9A-HJ-NP-Z][ -]?){9}[2-9A-HJ-NP-Z](?![A-Za-z0-9])"
)
_LABELLED_SECRET = re.compile(
    r"\b(pass(word|phrase|wd|code)?|pwd|pw|master\s+password|account\s+key|recovery\s+code|pin)\s*[:=]\s*\S+",
    re.IGNORECASE,
)
_URL = re.compile(r"^(https?://|www\.|/)", re.IGNORECASE)
_STRIP = "\"'()[]{}<>.,;:!?*_`"


def _character_classes(token: str) -> int:
    return sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        )
    )


def _looks_like_password(token: str) -> bool:
    token = token.strip(_STRIP)
    if _URL.search(token) or "@" in token:
        return False
    if len(token) >= 10 and _character_classes(token) >= 3:
        return True
    return len(token) >= 24 and _character_classes(token) >= 2 and not token.isalpha()


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
    if _LABELLED_SECRET.search(text) or any(_looks_like_password(token) for token in text.split()):
        warnings.append("Something in your post looks like a password or a key.")
    if _ACCOUNT_ID.search(text):
        warnings.append("Something in your post looks like an account ID.")
    if _EMAIL.search(text):
        warnings.append("Your post contains an e-mail address.")
    return warnings
