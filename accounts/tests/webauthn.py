"""A software passkey for tests without a browser: an ES256 key that registers with allauth.mfa
and answers WebAuthn challenges as a browser's authenticator would (the JSON that
webauthn-json's `create`/`get` post). The browser journeys use Chromium's virtual authenticator.
"""

import hashlib
import os

from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal.auth import WebAuthn
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

RP_ID = "testserver"  # the Django test client's host: allauth's relying-party id
ORIGIN = f"http://{RP_ID}"


class SoftPasskey:
    """One credential of one user: `enrol` stores it as allauth does, `assert_for` answers a challenge."""

    def __init__(self, rp_id: str = RP_ID):
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    def _rp_id_hash(self) -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest()

    def enrol(self, user, name: str = "Test key") -> Authenticator:
        """Store this passkey for `user` (allauth's `WebAuthn.add`, no signals)."""
        credential_data = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(
            self._rp_id_hash(),
            AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT,
            0,
            credential_data,
        )
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.CREATE, challenge=os.urandom(16), origin=ORIGIN
        )
        credential = {
            "type": "public-key",
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }
        return WebAuthn.add(user, name, credential).instance

    def assert_for(self, request_options: dict, *, origin: str = ORIGIN) -> dict:
        """The assertion a browser posts for `request_options` (what `passkey_challenge_begin` returned)."""
        options = request_options.get("request_options", request_options)
        challenge = options["publicKey"]["challenge"]
        self.counter += 1
        auth_data = AuthenticatorData.create(
            self._rp_id_hash(), AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV, self.counter
        )
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.GET, challenge=challenge, origin=origin
        )
        signature = self.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "type": "public-key",
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }
