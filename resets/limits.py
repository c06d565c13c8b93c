"""Reset and hint request limits, on top of the portal's rate limiter."""

from core.ratelimit import rate_limit_hit


class RateLimited(Exception):
    """Raised when a caller went over one of its limits."""


def limit_consume(*, scope: str, key: str, rate: tuple[int, int]) -> None:
    """Count one attempt of `key` in `scope`; raise RateLimited once over `rate` (count, seconds)."""
    if rate_limit_hit(scope=f"resets:{scope}", key=key, rate=rate):
        raise RateLimited(scope)
