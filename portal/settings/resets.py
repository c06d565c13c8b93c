"""Account reset: link lifetime and rate limits."""

from .env import env

RESET_LINK_TTL_MINUTES = env.int("RESET_LINK_TTL_MINUTES", default=60)
