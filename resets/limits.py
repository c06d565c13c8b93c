"""Fixed-window rate limits in the Django cache (Redis in production, shared by every process)."""

import hashlib

from django.core.cache import cache

KEY_PREFIX = "resets:rl"


class RateLimited(Exception):
    """Raised when a caller went over one of its limits."""


def limit_consume(*, scope: str, key: str, rate: tuple[int, int]) -> None:
    """Count one attempt of `key` in `scope`; raise RateLimited once over `rate` (count, seconds).

    Keys are hashed, so that e-mail addresses typed by anyone never appear in the cache.
    """
    count, window = rate
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"{KEY_PREFIX}:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        used = 1
    if used > count:
        raise RateLimited(scope)
