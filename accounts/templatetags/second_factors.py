"""Template filters of the second-factor pages (templates/mfa/): what is enrolled, and the
authenticator-app key written for people."""

from django import template

from accounts.second_factors import second_factor_summary

register = template.Library()


@register.filter
def factor_counts(user) -> dict[str, int]:
    """How many factors of each kind `user` has: {"totp": 1, "webauthn": 2, "recovery_codes": 1}.

    Read through accounts.second_factors, so a page learns kinds and counts, never a secret.
    """
    return {item["type"]: item["count"] for item in second_factor_summary(user)}


@register.filter
def key_groups(secret: str) -> str:
    """Split an authenticator-app key into groups of four ("ABCD EFGH ..."), for typing it by hand.

    Authenticator apps ignore the spaces; the groups wrap on a phone instead of running off it.
    """
    secret = str(secret or "")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
