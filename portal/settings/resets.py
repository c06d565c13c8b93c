"""Account reset: link lifetime, rate limits and the periodic expiry task."""

from .celery import CELERY_BEAT_SCHEDULE
from .env import env

RESET_LINK_TTL_MINUTES = env.int("RESET_LINK_TTL_MINUTES", default=60)

# Rate limits ("count/period", see core/ratelimit.py). Reset and hint requests share these
# counters, so that switching between the two forms does not double an attacker's budget.
RESET_RATE_LIMIT_PER_ADDRESS = env.str("RESET_RATE_LIMIT_PER_ADDRESS", default="5/h")
RESET_RATE_LIMIT_PER_IP = env.str("RESET_RATE_LIMIT_PER_IP", default="20/h")
# Backup downloads per reset request.
RESET_BACKUP_RATE_LIMIT = env.str("RESET_BACKUP_RATE_LIMIT", default="3/h")

CELERY_BEAT_SCHEDULE["resets-expire-stale-requests"] = {
    "task": "resets.tasks.reset_requests_expire",
    "schedule": 300.0,
}
