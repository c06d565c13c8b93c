"""Fixed-window rate limits in the shared cache (Redis in production)."""

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); return True when it goes over `limit` in `window` s."""
    cache_key = f"support:rl:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit
