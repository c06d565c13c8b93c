"""Owner proofs for support (issue 19): lifetime, rate limits, and the actions that need one first."""

from .celery import CELERY_BEAT_SCHEDULE
from .env import env

# A request is answered within this time or expires.
OWNER_PROOF_TTL_SECONDS = env.int("OWNER_PROOF_TTL_SECONDS", default=600)
# An approved proof lets the agent who asked do the guarded actions below on that account for this long.
OWNER_PROOF_VALID_SECONDS = env.int("OWNER_PROOF_VALID_SECONDS", default=1800)
# Rate limits ("count/period", see core/ratelimit.py).
OWNER_PROOF_RATE_PER_AGENT = env.str("OWNER_PROOF_RATE_PER_AGENT", default="30/h")
OWNER_PROOF_RATE_PER_ACCOUNT = env.str("OWNER_PROOF_RATE_PER_ACCOUNT", default="5/h")
# Answers (e-mailed codes, second-factor codes) typed on the portal page, per client IP.
OWNER_PROOF_RATE_ANSWERS_PER_IP = env.str("OWNER_PROOF_RATE_ANSWERS_PER_IP", default="20/h")
# Wrong answers before a request fails for good.
OWNER_PROOF_MAX_ATTEMPTS = env.int("OWNER_PROOF_MAX_ATTEMPTS", default=3)
# Console actions that need an approved proof by the same agent first.
OWNER_PROOF_REQUIRED_FOR = {
    "reset_email": env.bool("OWNER_PROOF_REQUIRED_RESET_EMAIL", default=False),
    "licence_change": env.bool("OWNER_PROOF_REQUIRED_LICENCE_CHANGE", default=False),
    "account_close": env.bool("OWNER_PROOF_REQUIRED_ACCOUNT_CLOSE", default=False),
}

CELERY_BEAT_SCHEDULE["proofs-expire"] = {"task": "proofs.tasks.owner_proofs_expire", "schedule": 60.0}
