"""Start-up check that every rate in settings is in the one "count/period" format."""

import re

from django.conf import settings
from django.core.checks import Error, register

from .ratelimit import rate_parse

# Our rate settings are named *_RATE_*; allauth's ACCOUNT_RATE_LIMITS keeps allauth's own format.
_RATE_SETTING = re.compile(r"[A-Z0-9_]*_RATE(_[A-Z0-9_]+)?")
_NOT_OURS = {"ACCOUNT_RATE_LIMITS"}


def _rates():
    for name in sorted(set(dir(settings)) - _NOT_OURS):
        if _RATE_SETTING.fullmatch(name):
            yield name, getattr(settings, name)
    drf_rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    for scope, value in drf_rates.items():
        if value is not None:
            yield f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'][{scope!r}]", value


@register()
def rates_check(app_configs=None, **kwargs):
    """Report every rate setting that `rate_parse` cannot read."""
    errors = []
    for name, value in _rates():
        try:
            rate_parse(value)
        except ValueError as error:
            errors.append(Error(f"{name}: {error}", id="core.E001"))
    return errors
