"""allauth.mfa adapter: the authenticator-app secret is encrypted at rest.

allauth stores the TOTP seed as given by `MFAAdapter.encrypt` (by default, unchanged). Here it
is sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived with HKDF from
SECRET_KEY, so a database dump alone does not give anyone the staff's or customers' codes.
Rotating SECRET_KEY therefore needs the seeds re-enrolled (docs/security.md).
"""

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"vault mfa totp secret v1"
_PREFIX = "f1:"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            return encrypted_text  # stored before this adapter
        return _fernet().decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
