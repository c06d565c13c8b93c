"""Key derivation parameters of the zero-knowledge sign-in (docs/auth-protocol.md).

The device derives, from the Account Password, `master = Argon2id(NFKC(password), salt, t, m, p)`
and from it the *auth key* (HKDF-SHA256, info "vault auth key v1"). The server only ever sees
the auth key (43 characters of base64url) and the parameters; it stores a hash of the first and
the second as they are, and answers pre-login with them.
"""

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

KDF_ID = "argon2id"
SALT_BYTES = 16
SALT_LENGTH = 22  # unpadded base64url of 16 bytes
AUTH_KEY_BYTES = 32
AUTH_KEY_LENGTH = 43  # unpadded base64url of 32 bytes
PRELOGIN_KEY_SALT = "accounts.kdf.prelogin"

# Refused above these whatever the settings say: a server must not be able to make a device
# spend minutes or gigabytes on one derivation.
CEILING = {"iterations": 10, "memory_kib": 1_048_576, "parallelism": 8}

NO_AUTH_KEY = (
    "Your browser did not protect the password before sending it. "
    "Turn on JavaScript for this site and try again."
)
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_bytes(text: str, length: int) -> bytes | None:
    """The bytes of canonical unpadded base64url `text` of exactly `length` bytes, else None."""
    if not isinstance(text, str) or not _B64URL.match(text):
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(data) != length or b64url(data) != text:
        return None
    return data


@dataclass(frozen=True)
class KdfParams:
    """An account's Argon2id salt (base64url, 16 bytes) and cost parameters."""

    salt: str
    iterations: int
    memory_kib: int
    parallelism: int

    @property
    def salt_bytes(self) -> bytes:
        return base64.urlsafe_b64decode(self.salt + "==")

    def as_dict(self) -> dict:
        """The wire shape (API `kdf` object and the pre-login answer without `kdf`)."""
        return asdict(self)

    def prelogin_dict(self) -> dict:
        return {"kdf": KDF_ID, **self.as_dict()}

    def below(self, other: "KdfParams") -> bool:
        """True when any cost parameter is lower than `other`'s (the device should re-key)."""
        return (
            self.iterations < other.iterations
            or self.memory_kib < other.memory_kib
            or self.parallelism < other.parallelism
        )

    @classmethod
    def from_data(cls, data: Mapping, prefix: str = "") -> "KdfParams":
        """Parse and check `salt`, `iterations`, `memory_kib`, `parallelism` (keys with `prefix`).

        Raises ValidationError with a sentence a person can act on: missing or malformed
        values, a salt that is not 16 bytes of base64url, costs below the floor or above the
        ceiling.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(
                "The key derivation parameters are missing: send salt, iterations, memory_kib and "
                "parallelism.",
                code="kdf_missing",
            )
        salt = data.get(f"{prefix}salt")
        if salt in (None, ""):
            raise ValidationError(
                "The key derivation parameters are missing: send salt, iterations, memory_kib and "
                "parallelism.",
                code="kdf_missing",
            )
        if _b64url_bytes(salt, SALT_BYTES) is None:
            raise ValidationError(
                "The key derivation salt must be 16 random bytes as unpadded base64url (22 characters).",
                code="kdf_invalid",
            )
        values = {}
        for name in ("iterations", "memory_kib", "parallelism"):
            raw = data.get(f"{prefix}{name}")
            if isinstance(raw, bool):
                raw = None
            if isinstance(raw, str) and raw.isdigit() and len(raw) <= 10:
                raw = int(raw)
            if not isinstance(raw, int):
                raise ValidationError(
                    f"The key derivation parameter {name} is missing or not a whole number.",
                    code="kdf_invalid",
                )
            values[name] = raw
        floor = kdf_floor()
        for name, value in values.items():
            if value < floor[name]:
                raise ValidationError(
                    f"The key derivation parameters are too weak: {name} must be at least "
                    f"{floor[name]} (got {value}). Derive again with the parameters pre-login gives.",
                    code="kdf_too_weak",
                )
            if value > CEILING[name]:
                raise ValidationError(
                    f"The key derivation parameters are too costly: {name} must be at most "
                    f"{CEILING[name]} (got {value}).",
                    code="kdf_too_costly",
                )
        return cls(salt=salt, **values)

    @classmethod
    def from_user(cls, user) -> "KdfParams | None":
        """The stored parameters of `user`, or None when it has no credentials yet."""
        if not user.kdf_salt:
            return None
        return cls(
            salt=user.kdf_salt,
            iterations=user.kdf_iterations,
            memory_kib=user.kdf_memory_kib,
            parallelism=user.kdf_parallelism,
        )


def kdf_floor() -> dict:
    return {"iterations": 3, "memory_kib": 65_536, "parallelism": 1, **settings.AUTH_KDF_FLOOR}


def kdf_default(salt: str | None = None) -> KdfParams:
    """The current default parameters with `salt`, or a fresh random salt."""
    costs = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1, **settings.AUTH_KDF_DEFAULT}
    return KdfParams(salt=salt or b64url(os.urandom(SALT_BYTES)), **costs)


def auth_key_clean(text) -> str:
    """Return `text` if it is an auth key (32 bytes as 43 characters of base64url), else refuse."""
    if not text:
        raise ValidationError(NO_AUTH_KEY, code="auth_key_missing")
    if _b64url_bytes(text, AUTH_KEY_BYTES) is None:
        raise ValidationError(
            NO_AUTH_KEY + " (The auth key must be 32 bytes as 43 characters of unpadded base64url.)",
            code="auth_key_invalid",
        )
    return text


def prelogin_salt(email: str) -> str:
    """The stand-in salt of an address without an account: stable, unguessable without SECRET_KEY.

    First 16 bytes of HMAC-SHA256(key, "prelogin:" + normalised address), the key being
    SHA-256(PRELOGIN_KEY_SALT + SECRET_KEY) (Django's salted_hmac).
    """
    from .selectors import email_key

    digest = salted_hmac(PRELOGIN_KEY_SALT, "prelogin:" + email_key(email), algorithm="sha256").digest()
    return b64url(digest[:SALT_BYTES])


def prelogin_params(email: str) -> KdfParams:
    """What pre-login answers for `email`: the account's parameters, or stand-ins of the same shape.

    Both paths make one indexed lookup and one HMAC, so neither answers faster.
    """
    from .models import User
    from .selectors import email_key

    stand_in = kdf_default(salt=prelogin_salt(email))

    user = (
        User.objects.filter(email=email_key(email))
        .only("kdf_salt", "kdf_iterations", "kdf_memory_kib", "kdf_parallelism")
        .first()
    )
    stored = KdfParams.from_user(user) if user is not None else None
    return stored if stored is not None else stand_in
