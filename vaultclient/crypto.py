"""The client's cryptography: Encrypted Account Key (docs/qr-format.md), verifier, item encryption."""

import base64
import os
import struct
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "vaultkey:"
VERSION = 1
KDF_ARGON2ID = 1
HEADER = struct.Struct(">B10sIBIIB16s8s12s")
CIPHERTEXT_LENGTH = 48


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 65_536
    parallelism: int = 4


DEFAULT_KDF = KdfParams()


class PayloadError(ValueError):
    """An Encrypted Account Key that cannot be opened; `code` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OpenedPayload:
    account_id: str
    generation: int
    account_key: bytes


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(secret: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(secret)


def _password_keys(password: str, salt: bytes, kdf: KdfParams) -> tuple[bytes, bytes]:
    """The QR wrapping key and check: Argon2id of the same NFKC password bytes as the auth key."""
    master = hash_secret_raw(
        password_bytes(password), salt, kdf.time_cost, kdf.memory_kib, kdf.parallelism, 32, Type.ID
    )
    return _hkdf(master, b"vault qr wrap v1"), _hkdf(master, b"vault qr check v1", 8)


# Sign-in (docs/auth-protocol.md): the server gets only the auth key, never the password.
AUTH_KEY_INFO = b"vault auth key v1"


@dataclass(frozen=True)
class AuthKdf:
    """An account's sign-in derivation parameters as pre-login gives them (salt: base64url)."""

    salt: str
    iterations: int = 3
    memory_kib: int = 65_536
    parallelism: int = 1

    @classmethod
    def fresh(cls, **costs) -> "AuthKdf":
        return cls(salt=b64url(os.urandom(16)), **costs)

    def as_dict(self) -> dict:
        return {
            "salt": self.salt,
            "iterations": self.iterations,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }


# The protocol's floor and ceiling (docs/auth-protocol.md): a client refuses anything outside.
AUTH_KDF_FLOOR = {"iterations": 3, "memory_kib": 65_536, "parallelism": 1}
AUTH_KDF_CEILING = {"iterations": 10, "memory_kib": 1_048_576, "parallelism": 8}


def auth_kdf_acceptable(kdf) -> bool:
    try:
        if len(b64url_decode(kdf.salt)) != 16:
            return False
    except ValueError:
        return False
    return all(
        isinstance(getattr(kdf, name), int)
        and AUTH_KDF_FLOOR[name] <= getattr(kdf, name) <= AUTH_KDF_CEILING[name]
        for name in AUTH_KDF_FLOOR
    )


def password_bytes(password: str) -> bytes:
    """The bytes every derivation starts from: UTF-8 of the NFKC form, nothing trimmed."""
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def master_derive(password: str, kdf) -> bytes:
    """Argon2id v1.3 (32 bytes) of the password with the account's salt and costs.

    `kdf` is anything with `salt` (base64url of 16 bytes), `iterations`, `memory_kib` and
    `parallelism`: AuthKdf here, accounts.kdf.KdfParams on the server's side of the tests.
    """
    return hash_secret_raw(
        password_bytes(password),
        b64url_decode(kdf.salt),
        kdf.iterations,
        kdf.memory_kib,
        kdf.parallelism,
        32,
        Type.ID,
    )


def auth_key_from_master(master: bytes) -> str:
    return b64url(_hkdf(master, AUTH_KEY_INFO))


def auth_key_derive(password: str, kdf) -> str:
    """The auth key (43 characters of base64url) the device sends instead of the password."""
    return auth_key_from_master(master_derive(password, kdf))


def account_key_new() -> bytes:
    return os.urandom(32)


def payload_seal(
    *, account_key: bytes, password: str, account_id: str, generation: int, kdf: KdfParams = DEFAULT_KDF
) -> str:
    """Wrap the account key under the password: the string the QR code holds."""
    salt, nonce = os.urandom(16), os.urandom(12)
    wrap_key, check = _password_keys(password, salt, kdf)
    header = HEADER.pack(
        VERSION,
        account_id.encode("ascii"),
        generation,
        KDF_ARGON2ID,
        kdf.time_cost,
        kdf.memory_kib,
        kdf.parallelism,
        salt,
        check,
        nonce,
    )
    ciphertext = AESGCM(wrap_key).encrypt(nonce, account_key, header)
    return PREFIX + b64url(header + ciphertext)


def payload_open(text: str, password: str) -> OpenedPayload:
    """Unwrap the account key; PayloadError says whether the password or the payload is wrong."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise PayloadError("payload_invalid", "This is not an Encrypted Account Key (no 'vaultkey:' prefix).")
    try:
        blob = b64url_decode(text[len(PREFIX) :])
    except ValueError:
        raise PayloadError("payload_damaged", "The QR code text is damaged (not base64url).")
    if not blob or blob[0] != VERSION:
        raise PayloadError("payload_invalid", "This QR code uses a format version this client cannot read.")
    if len(blob) != HEADER.size + CIPHERTEXT_LENGTH:
        raise PayloadError("payload_damaged", "The QR code text is damaged (wrong length).")
    header, ciphertext = blob[: HEADER.size], blob[HEADER.size :]
    _, account_id, generation, kdf_id, time_cost, memory_kib, parallelism, salt, check, nonce = HEADER.unpack(
        header
    )
    if kdf_id != KDF_ARGON2ID:
        raise PayloadError("payload_invalid", "This QR code uses an unknown key derivation.")
    wrap_key, expected_check = _password_keys(password, salt, KdfParams(time_cost, memory_kib, parallelism))
    if expected_check != check:
        raise PayloadError("wrong_password", "The password does not open this QR code.")
    try:
        account_key = AESGCM(wrap_key).decrypt(nonce, ciphertext, header)
    except InvalidTag:
        raise PayloadError(
            "payload_tampered",
            "The QR code was altered or damaged: it does not decrypt. Use the original e-mail.",
        )
    return OpenedPayload(account_id.decode("ascii"), generation, account_key)


def _signing_key(account_key: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_hkdf(account_key, b"vault ownership verifier v1"))


def verifier_public(account_key: bytes) -> bytes:
    """The Ed25519 public key the server stores to check ownership proofs."""
    return _signing_key(account_key).public_key().public_bytes_raw()


def ownership_sign(*, account_key: bytes, account_id: str, device_uid: str, challenge: str) -> str:
    message = f"vault-ownership-v1:{account_id}:{device_uid}:{challenge}".encode()
    return b64url(_signing_key(account_key).sign(message))


def support_proof_sign(
    *, account_key: bytes, account_id: str, proof_id: str, code: str, device_uid: str
) -> str:
    """Approve a support identity check (issue 19): same signing key as the ownership proof."""
    message = f"vault-support-proof-v1:{account_id}:{proof_id}:{code}:{device_uid}".encode()
    return b64url(_signing_key(account_key).sign(message))


def _item_key(account_key: bytes) -> bytes:
    return _hkdf(account_key, b"vault items v1")


def item_seal(*, account_key: bytes, item_id: str, generation: int, plaintext: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(12)
    aad = f"{item_id}:{generation}".encode()
    return AESGCM(_item_key(account_key)).encrypt(nonce, plaintext, aad), nonce


def item_open(*, account_key: bytes, item_id: str, generation: int, ciphertext: bytes, nonce: bytes) -> bytes:
    aad = f"{item_id}:{generation}".encode()
    return AESGCM(_item_key(account_key)).decrypt(nonce, ciphertext, aad)
