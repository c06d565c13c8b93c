"""Reset and hint request limits, on top of the portal's rate limiter."""

from django.conf import settings

from core.addresses import email_normalise
from core.ratelimit import ip_rate_limit_hit, rate_limit_hit


def reset_request_limited(*, ip: str | None, email: str) -> bool:
    """Count one reset or hint request against the client IP and the address (known or not alike).

    True once either is over its limit; the address is not counted once the IP is.
    """
    return ip_rate_limit_hit(
        scope="resets:ip", ip=ip, rate=settings.RESET_RATE_LIMIT_PER_IP
    ) or rate_limit_hit(
        scope="resets:address", key=email_normalise(email), rate=settings.RESET_RATE_LIMIT_PER_ADDRESS
    )


def reset_backup_limited(*, reset_request_id: int) -> bool:
    """Count one backup download of a reset request; True once over its limit."""
    return rate_limit_hit(
        scope="resets:backup", key=str(reset_request_id), rate=settings.RESET_BACKUP_RATE_LIMIT
    )
