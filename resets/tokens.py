"""Reset and cancel link tokens: derived, never stored; only their SHA-256 hashes are kept.

A token is base64url(HMAC-SHA256(key, "<purpose>:<account pk>:<nonce>")) where the key is
derived from SECRET_KEY with a purpose label. The database keeps the random `nonce` and
SHA-256(token); the worker re-derives the token at send time, so neither the database nor
the e-mail outbox ever holds a usable link, and a re-send or a retry yields the same link.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

RESET = "reset"
CANCEL = "cancel"


class ResetTokenGenerator:
    """Derive, hash and check the tokens of reset requests."""

    key_salt = "resets.tokens.ResetTokenGenerator"
    secret = None

    def _now(self) -> datetime:
        return timezone.now()

    def _secret(self) -> str:
        return self.secret or settings.SECRET_KEY

    def nonce_new(self) -> str:
        return secrets.token_urlsafe(32)

    def token_make(self, *, purpose: str, account_pk: int, nonce: str) -> str:
        """Return the link token of `purpose` for a request (same inputs, same token)."""
        digest = salted_hmac(
            self.key_salt, f"{purpose}:{account_pk}:{nonce}", secret=self._secret(), algorithm="sha256"
        ).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def token_hash(self, token: str) -> str:
        """Return the hex SHA-256 of `token`: what the database stores and is searched by."""
        return hashlib.sha256(token.encode()).hexdigest()

    def token_check(self, *, token: str, purpose: str, account_pk: int, nonce: str) -> bool:
        """Return True if `token` is the one this server derived for the request (constant time)."""
        expected = self.token_make(purpose=purpose, account_pk=account_pk, nonce=nonce)
        return hmac.compare_digest(expected.encode(), token.encode())

    def credential_stamp(self, *, password_hash: str, key_generation: int) -> str:
        """Fingerprint what a password change or a completed reset changes (kills older links)."""
        return salted_hmac(
            self.key_salt + ".stamp",
            f"{password_hash}:{key_generation}",
            secret=self._secret(),
            algorithm="sha256",
        ).hexdigest()

    def expires_at(self) -> datetime:
        return self._now() + timedelta(minutes=settings.RESET_LINK_TTL_MINUTES)

    def is_expired(self, expires_at: datetime) -> bool:
        return expires_at <= self._now()


default_token_generator = ResetTokenGenerator()
