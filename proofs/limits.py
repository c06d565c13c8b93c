"""Owner-proof rate limits, on top of the portal's rate limiter."""

from django.conf import settings

from core.ratelimit import ip_rate_limit_hit, rate_limit_hit


def proof_request_limited(*, agent_id: int, account_id: int) -> bool:
    """Count one request by `agent_id` for `account_id`; True once either is over its limit."""
    return rate_limit_hit(
        scope="proofs:agent", key=str(agent_id), rate=settings.OWNER_PROOF_RATE_PER_AGENT
    ) or rate_limit_hit(
        scope="proofs:account", key=str(account_id), rate=settings.OWNER_PROOF_RATE_PER_ACCOUNT
    )


def proof_answer_limited(*, ip: str | None) -> bool:
    """Count one answer typed on the portal page from `ip`; True once over its limit."""
    return ip_rate_limit_hit(scope="proofs:answer", ip=ip, rate=settings.OWNER_PROOF_RATE_ANSWERS_PER_IP)
