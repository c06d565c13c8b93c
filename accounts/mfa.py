"""allauth.mfa adapter: the authenticator-app secret is encrypted at rest; the portal's words.

allauth stores the TOTP seed as given by `MFAAdapter.encrypt` (by default, unchanged). Here it
is sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived with HKDF from
SECRET_KEY, so a database dump alone does not give anyone the staff's or customers' codes.
Rotating SECRET_KEY therefore needs the seeds re-enrolled (docs/security.md).
"""

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
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
    # allauth's form errors in the portal's words (what happened, what to do). The code pages,
    # the passkey checks and the reset link's code step all show "incorrect_code".
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "Incorrect code. Check it and try again: an authenticator app's code changes every"
            " 30 seconds, and each code works only once."
        ),
        "cannot_delete_authenticator": "This second factor cannot be removed from your account.",
        "cannot_generate_recovery_codes": (
            "Add a passkey or an authenticator app first: recovery codes stand in for one of them."
        ),
        "unverified_email": "Confirm your e-mail address first, then add a second factor.",
    }

    def generate_authenticator_name(self, user, type) -> str:
        """The name a new passkey gets until its owner picks one: "Passkey 1", "Passkey 2"..."""
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return f"Passkey {count + 1}"

    def encrypt(self, text: str) -> str:
        return _PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            return encrypted_text  # stored before this adapter
        return _fernet().decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
