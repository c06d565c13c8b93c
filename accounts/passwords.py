"""The Account Password policy: the one place every form, serializer and service checks a new password.

`password_validate` applies settings.AUTH_PASSWORD_VALIDATORS (the sign-up form through the allauth
adapter, the reset form, the API's sign-up and password change); `hint_validate` checks its hint.
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
