"""The Account Password rules, checked on the device (the server never sees the password).

The same policy as the browser pages (static/js/zk.js with @zxcvbn-ts/core): at least 10
characters, a zxcvbn score of at least 3, and a hint that does not contain the password.
"""

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3


class PasswordRejected(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def password_check(password: str, *, hint: str = "", user_inputs: tuple[str, ...] = ()) -> None:
    """Raise PasswordRejected with helpful feedback when `password` may not be used."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            "password_too_short", f"The password must have at least {MIN_LENGTH} characters."
        )
    result = zxcvbn(password[:100], user_inputs=list(user_inputs))
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        tips = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
        raise PasswordRejected(
            "password_too_weak",
            "This password is too easy to guess." + (f" {tips}" if tips else " Add more unusual words."),
        )
    if hint and password.casefold() in hint.casefold():
        raise PasswordRejected(
            "hint_contains_password",
            "Your hint must not contain your password. Write something that reminds only you of it.",
        )
