"""Fixed-window rate limits in the shared cache (Redis in production)."""

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one hit for `key` in `scope`; return True when it is over the limit."""
    count, period = limit
    cache_key = f"chat:rl:{scope}:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        hits = 1
    return hits > count
