"""Rules about the Account Password and its hint that every form shares."""

from django.core.exceptions import ValidationError

HINT_MAX_LENGTH = 200


def hint_validate(*, hint: str, password: str) -> None:
    """Refuse a hint that gives the password away (it contains it, case-insensitively)."""
    if hint and password and password.casefold() in hint.casefold():
        raise ValidationError(
            "Your hint must not contain your password. Write something that reminds only you of it.",
            code="hint_contains_password",
        )
