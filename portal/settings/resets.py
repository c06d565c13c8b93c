"""Account reset: link lifetime, rate limits and the periodic expiry task."""

from .celery import CELERY_BEAT_SCHEDULE
from .env import env

RESET_LINK_TTL_MINUTES = env.int("RESET_LINK_TTL_MINUTES", default=60)

# (requests, window in seconds). Reset and hint requests share these counters, so that
# switching between the two forms does not double an attacker's budget.
RESET_RATE_LIMIT_PER_ADDRESS = (env.int("RESET_RATE_LIMIT_PER_ADDRESS", default=5), 3600)
RESET_RATE_LIMIT_PER_IP = (env.int("RESET_RATE_LIMIT_PER_IP", default=20), 3600)
RESET_BACKUP_RATE_LIMIT = (env.int("RESET_BACKUP_RATE_LIMIT", default=3), 3600)

CELERY_BEAT_SCHEDULE["resets-expire-stale-requests"] = {
    "task": "resets.tasks.reset_requests_expire",
    "schedule": 300.0,
}
