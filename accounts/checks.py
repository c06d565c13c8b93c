"""Start-up check of the sign-in derivation settings (accounts/kdf.py, docs/auth-protocol.md)."""

from django.conf import settings
from django.core.checks import Error, register

from .kdf import CEILING


@register()
def kdf_settings_check(app_configs=None, **kwargs):
    """AUTH_KDF_FLOOR and AUTH_KDF_DEFAULT name the three costs, and floor <= default <= ceiling."""
    errors = []
    floor, default = getattr(settings, "AUTH_KDF_FLOOR", {}), getattr(settings, "AUTH_KDF_DEFAULT", {})
    for name in CEILING:
        low, value = floor.get(name), default.get(name)
        if not isinstance(low, int) or not isinstance(value, int):
            errors.append(
                Error(
                    f"AUTH_KDF_FLOOR and AUTH_KDF_DEFAULT must both set {name} (a whole number).",
                    id="accounts.E001",
                )
            )
        elif not 1 <= low <= value <= CEILING[name]:
            errors.append(
                Error(
                    f"{name}: need 1 <= AUTH_KDF_FLOOR ({low}) <= AUTH_KDF_DEFAULT ({value}) "
                    f"<= {CEILING[name]}: new credentials would be refused, or devices asked for too much.",
                    id="accounts.E002",
                )
            )
    return errors
