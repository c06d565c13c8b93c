"""The test vectors of docs/auth-protocol.md, parsed from the document and checked in Python.

Argon2id comes from argon2-cffi (the reference implementation); HKDF is recomputed here from
RFC 5869 with hmac alone, and then compared with the reference client's derivation too.
"""

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw

from vaultclient import crypto

DOC = Path(__file__).resolve().parents[2] / "docs" / "auth-protocol.md"


def _vectors() -> list[dict]:
    blocks = re.findall(r"```text\n(vector: .*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    vectors = []
    for block in blocks:
        fields = dict(line.split(": ", 1) for line in block.strip().splitlines())
        vectors.append(fields)
    return vectors


def _hkdf_sha256(ikm: bytes, info: bytes, length: int = 32) -> bytes:
    prk = hmac.new(b"\0" * 32, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm, counter = okm + block, counter + 1
    return okm[:length]


def test_the_document_has_the_three_default_vectors_one_needing_nfkc():
    vectors = _vectors()
    assert [v["vector"] for v in vectors] == ["ascii-default", "nfkc-default", "ascii-other-salt"]
    for v in vectors:
        assert (v["iterations"], v["memory_kib"], v["parallelism"]) == ("3", "65536", "1")
    nfkc = json.loads(vectors[1]["password (JSON)"])
    assert unicodedata.normalize("NFKC", nfkc) != nfkc


@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: v["vector"])
def test_vector(vector):
    password = json.loads(vector["password (JSON)"])
    data = unicodedata.normalize("NFKC", password).encode("utf-8")
    assert data.hex() == vector["password bytes, NFKC UTF-8 (hex)"]
    salt = bytes.fromhex(vector["salt (hex)"])
    assert base64.urlsafe_b64encode(salt).rstrip(b"=").decode() == vector["salt (base64url)"]
    t, m, p = int(vector["iterations"]), int(vector["memory_kib"]), int(vector["parallelism"])
    master = hash_secret_raw(data, salt, t, m, p, 32, Type.ID, version=19)
    assert master.hex() == vector["master (hex)"]
    auth_key = base64.urlsafe_b64encode(_hkdf_sha256(master, b"vault auth key v1")).rstrip(b"=").decode()
    assert auth_key == vector["auth_key (base64url)"] and len(auth_key) == 43
    kdf = crypto.AuthKdf(salt=vector["salt (base64url)"], iterations=t, memory_kib=m, parallelism=p)
    assert crypto.auth_key_derive(password, kdf) == auth_key  # the reference client agrees
    if "qr wrap_key (hex)" in vector:
        assert _hkdf_sha256(master, b"vault qr wrap v1").hex() == vector["qr wrap_key (hex)"]
        assert _hkdf_sha256(master, b"vault qr check v1", 8).hex() == vector["qr check (hex)"]
        # The reference client wraps the QR code from the same NFKC bytes as the auth key.
        wrap_key, check = crypto._password_keys(password, salt, crypto.KdfParams(t, m, p))
        assert (wrap_key.hex(), check.hex()) == (vector["qr wrap_key (hex)"], vector["qr check (hex)"])


def test_the_qr_vectors_include_one_that_needs_nfkc():
    assert [v["vector"] for v in _vectors() if "qr wrap_key (hex)" in v] == ["ascii-default", "nfkc-default"]


# Each API rate limit, where the documents state it: scope -> (document, section heading, who).
RATE_LIMITS = {
    "api_prelogin_ip": ("auth-protocol.md", "## 4. Pre-login", "per IP"),
    "api_prelogin_email": ("auth-protocol.md", "## 4. Pre-login", "per address"),
    "api_signup_ip": ("auth-protocol.md", "### 5.1 Sign-up", "per IP"),
    "api_signin_ip": ("auth-protocol.md", "### 5.2 Sign-in", "per IP"),
    "api_signin_email": ("auth-protocol.md", "### 5.2 Sign-in", "per address"),
    "api_verify_device": ("qr-format.md", "## Ownership proof", "per device"),
}
PERIODS = {"s": "s", "m": "min", "h": "hour", "d": "day"}


def test_the_documents_state_every_api_rate_limit(settings):
    """A client team must know the limits before its tests trip over them (sign-up: per hour)."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) == set(RATE_LIMITS)
    for scope, rate in rates.items():
        document, heading, who = RATE_LIMITS[scope]
        text = (DOC.parent / document).read_text(encoding="utf-8")
        section = text.split(heading, 1)[1].split("\n#", 1)[0]
        count, period = rate.split("/")
        assert f"{who} ({count}/{PERIODS[period[0]]})" in " ".join(section.split()), (scope, rate)
