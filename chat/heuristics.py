"""Guess whether a chat message carries a password, so the customer can be warned first."""

import re

# "password: hunter2", "pw=...", "passphrase = ..." (not "my password is wrong")
_LABELLED = re.compile(
    r"\b(pass(word|phrase|wd|code)?|pwd|pw|master\s+password|account\s+key|pin)\s*[:=]\s*\S+",
    re.IGNORECASE,
)
_URL_OR_EMAIL = re.compile(r"^(https?://|www\.)|^[^@\s]+@[^@\s]+\.[^@\s]+$", re.IGNORECASE)
_STRIP = "\"'()[]{}<>.,;!?"


def _classes(token: str) -> int:
    return sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        )
    )


def _token_looks_secret(token: str) -> bool:
    token = token.strip(_STRIP)
    if _URL_OR_EMAIL.search(token):
        return False
    if len(token) >= 10 and _classes(token) >= 3:
        return True
    # Long random-looking strings (keys, recovery codes) with at least two classes.
    return len(token) >= 24 and _classes(token) >= 2 and not token.isalpha()


def looks_like_password(text: str) -> bool:
    """Say whether text has a labelled password or a long token that mixes character classes."""
    if _LABELLED.search(text):
        return True
    return any(_token_looks_secret(token) for token in text.split())
