"""The Account Password policy: the one place every form, serializer and service checks a new password.

`password_validate` applies settings.AUTH_PASSWORD_VALIDATORS (empty since issue 13: the password
rules run on the device, docs/security.md §1.7; the API never receives a password);
`hint_validate` checks its hint where a password is at hand.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

HINT_MAX_LENGTH = 200


def password_validate(*, password: str, user=None) -> None:
    """Refuse a new password the policy does not allow; raise ValidationError with every reason."""
    validate_password(password, user=user)


def hint_validate(*, hint: str, password: str) -> None:
    """Refuse a hint that gives the password away (it contains it, case-insensitively)."""
    if hint and password and password.casefold() in hint.casefold():
        raise ValidationError(
            "Your hint must not contain your password. Write something that reminds only you of it.",
            code="hint_contains_password",
        )
