"""Fixed-window rate limits in the Django cache (Redis in production, shared by every process).

The one rate limiter of the portal's own forms and endpoints (allauth and DRF keep theirs).
Keys are hashed, so addresses typed by anyone never appear in the cache.
"""

import hashlib

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, rate: tuple[int, int]) -> bool:
    """Count one attempt of `key` in `scope`; return True once it is over `rate` (count, seconds)."""
    count, window = rate
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        used = 1
    return used > count
