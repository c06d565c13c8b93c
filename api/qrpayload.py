"""Read the public header of an Encrypted Account Key (format: docs/qr-format.md).

The server never decrypts the payload (it cannot: it never sees the password); it only checks
that the header names this account and its current generation and that the KDF is not weak.
"""

import base64
import binascii
import struct
from dataclasses import dataclass

from django.conf import settings

PREFIX = "vaultkey:"
VERSION = 1
KDF_ARGON2ID = 1
HEADER = struct.Struct(">B10sIBIIB16s8s12s")
CIPHERTEXT_LENGTH = 48
PAYLOAD_LENGTH = HEADER.size + CIPHERTEXT_LENGTH
TEXT_MAX_LENGTH = len(PREFIX) + 4 * PAYLOAD_LENGTH // 3 + 4


class PayloadInvalid(ValueError):
    """The string is not an Encrypted Account Key we can accept; the message says why."""


@dataclass(frozen=True)
class PayloadHeader:
    version: int
    account_id: str
    generation: int
    time_cost: int
    memory_kib: int
    parallelism: int


def payload_header_read(text: str) -> PayloadHeader:
    """Parse and check the header of a `vaultkey:` string; raise PayloadInvalid if it is unusable."""
    if not isinstance(text, str) or not text.startswith(PREFIX) or len(text) > TEXT_MAX_LENGTH:
        raise PayloadInvalid("This is not an Encrypted Account Key (it must start with 'vaultkey:').")
    body = text[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise PayloadInvalid("The Encrypted Account Key is not valid base64url.")
    if not blob or blob[0] != VERSION:
        raise PayloadInvalid(
            f"Unsupported Encrypted Account Key version (this server reads version {VERSION})."
        )
    if len(blob) != PAYLOAD_LENGTH:
        raise PayloadInvalid("The Encrypted Account Key has the wrong length.")
    version, account_id, generation, kdf, time_cost, memory_kib, parallelism, *_ = HEADER.unpack(
        blob[: HEADER.size]
    )
    if kdf != KDF_ARGON2ID:
        raise PayloadInvalid("The Encrypted Account Key must use Argon2id.")
    if (
        time_cost < settings.API_QR_MIN_TIME_COST
        or memory_kib < settings.API_QR_MIN_MEMORY_KIB
        or not 1 <= parallelism <= 16
        or time_cost > 20
        or memory_kib > 4 * 1024 * 1024
    ):
        raise PayloadInvalid("The Encrypted Account Key's Argon2id parameters are outside the allowed range.")
    try:
        account_id_text = account_id.decode("ascii")
    except UnicodeDecodeError:
        raise PayloadInvalid("The Encrypted Account Key's account ID is not readable.")
    return PayloadHeader(version, account_id_text, generation, time_cost, memory_kib, parallelism)
