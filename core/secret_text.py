"""Guess whether text carries a password or a key, so that its writer can be warned first.

One guess for every place a customer types free text others will read: a chat message (refused
until confirmed), a forum post (a warning to confirm). A labelled secret ("password: hunter2",
"pw=...", "recovery code: ...", not "my password is wrong") or a token that mixes character
classes like a generated password or key. Links, paths and e-mail addresses are not secrets.
"""

import re

_LABELLED = re.compile(
    r"\b(pass(word|phrase|wd|code)?|pwd|pw|master\s+password|account\s+key|recovery\s+code|pin)\s*[:=]\s*\S+",
    re.IGNORECASE,
)
_URL = re.compile(r"^(https?://|www\.|/)", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Punctuation and Markdown around a word.
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


def _token_looks_secret(token: str) -> bool:
    token = token.strip(_STRIP)
    if _URL.search(token) or _EMAIL.search(token):
        return False
    if len(token) >= 10 and _character_classes(token) >= 3:
        return True
    # Long random-looking strings (keys, recovery codes) with at least two classes.
    return len(token) >= 24 and _character_classes(token) >= 2 and not token.isalpha()


def looks_like_secret(text: str) -> bool:
    """Say whether `text` has a labelled secret or a long token that mixes character classes."""
    if _LABELLED.search(text):
        return True
    return any(_token_looks_secret(token) for token in text.split())
