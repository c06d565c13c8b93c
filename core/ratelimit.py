"""Fixed-window rate limits in the Django cache (Redis in production, shared by every process).

The one rate limiter of the portal's own forms and endpoints. Every rate lives in settings
(portal/settings/*.py) as a "count/period" string: "5/h" is five per hour, "10/15m" ten per
fifteen minutes; units are s, m, h and d. `rate_parse` is the one reader of that format (the
API's DRF throttles use it too); allauth's ACCOUNT_RATE_LIMITS stay in allauth's own format.
Keys are hashed, so addresses typed by anyone never appear in the cache.
"""

import functools
import hashlib
import re
from typing import NamedTuple

from allauth.core.internal.ratelimit import truncate_ip
from django.core.cache import cache

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(?P<count>\d+)/(?P<multiplier>[1-9]\d*)?(?P<unit>[smhd])")


class Rate(NamedTuple):
    count: int
    seconds: int


@functools.lru_cache(maxsize=64)
def rate_parse(rate: str) -> Rate:
    """Read a "count/period" rate ("5/h", "10/15m"); raise ValueError for anything else."""
    match = _RATE.fullmatch(rate) if isinstance(rate, str) else None
    if match is None:
        raise ValueError(f'{rate!r} is not a rate: write "count/period", e.g. "5/h" or "10/15m".')
    multiplier = int(match["multiplier"] or 1)
    return Rate(int(match["count"]), multiplier * UNIT_SECONDS[match["unit"]])


def client_ip_key(ip: str | None) -> str:
    """The key a client IP is counted under in every per-IP limit: an IPv4 address as it is, an
    IPv6 address by its network (allauth's `ALLAUTH_RATE_LIMIT_IPV6_PREFIX`, /64: one home line
    or server holds 2^64 addresses, a fresh one for every request), as allauth's own limits do."""
    return truncate_ip(ip) if ip else "unknown"


def rate_limit_hit(*, scope: str, key: str, rate: str) -> bool:
    """Count one attempt of `key` in `scope`; return True once it is over `rate` ("count/period")."""
    count, window = rate_parse(rate)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        used = 1
    return used > count


def ip_rate_limit_hit(*, scope: str, ip: str | None, rate: str) -> bool:
    """`rate_limit_hit` for a client IP: the one way a per-IP limit counts, by `client_ip_key`."""
    return rate_limit_hit(scope=scope, key=client_ip_key(ip), rate=rate)
