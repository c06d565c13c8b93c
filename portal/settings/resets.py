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

# A customer with a second factor who lost it too can choose a cooling-off reset: the link
# works without the factor only after this many days (e-mails at the start and one day
# before the end; "this wasn't me" cancels), and then for this many hours.
RESET_COOLING_OFF_DAYS = env.int("RESET_COOLING_OFF_DAYS", default=7)
RESET_COOLING_OFF_LINK_HOURS = env.int("RESET_COOLING_OFF_LINK_HOURS", default=72)

CELERY_BEAT_SCHEDULE["resets-cooling-off-reminders"] = {
    "task": "resets.tasks.reset_cooling_off_remind",
    "schedule": 900.0,
}
CELERY_BEAT_SCHEDULE["resets-expire-stale-requests"] = {
    "task": "resets.tasks.reset_requests_expire",
    "schedule": 300.0,
}
