"""Support console, tickets and knowledge base."""

from .env import env

# Rate limits ("count/period", see core/ratelimit.py).
# Tickets opened from the help pages: per client IP and per e-mail address.
SUPPORT_TICKET_RATE_PER_IP = env.str("SUPPORT_TICKET_RATE_PER_IP", default="5/h")
SUPPORT_TICKET_RATE_PER_EMAIL = env.str("SUPPORT_TICKET_RATE_PER_EMAIL", default="3/h")
# Customer replies through the e-mailed link, per ticket.
SUPPORT_REPLY_RATE_PER_TICKET = env.str("SUPPORT_REPLY_RATE_PER_TICKET", default="10/h")
# Knowledge-base votes per client IP (one vote per visitor per article regardless).
SUPPORT_VOTE_RATE_PER_IP = env.str("SUPPORT_VOTE_RATE_PER_IP", default="60/h")
SUPPORT_SUBJECT_MAX_LENGTH = 200
SUPPORT_MESSAGE_MAX_LENGTH = 5000
SUPPORT_FEEDBACK_MAX_LENGTH = 1000
# How long the "view and reply to your ticket" link in an e-mail works.
SUPPORT_TICKET_LINK_MAX_AGE = env.int("SUPPORT_TICKET_LINK_MAX_AGE", default=30 * 24 * 3600)
