"""Support console, tickets and knowledge base."""

from .env import env

# Tickets opened from the help pages: per client IP and per e-mail address, per hour.
SUPPORT_TICKET_RATE_PER_IP = env.int("SUPPORT_TICKET_RATE_PER_IP", default=5)
SUPPORT_TICKET_RATE_PER_EMAIL = env.int("SUPPORT_TICKET_RATE_PER_EMAIL", default=3)
SUPPORT_TICKET_RATE_WINDOW = 3600
# Customer replies through the e-mailed link, per ticket, per hour.
SUPPORT_REPLY_RATE_PER_TICKET = env.int("SUPPORT_REPLY_RATE_PER_TICKET", default=10)
# Knowledge-base votes per client IP per hour (one vote per visitor per article regardless).
SUPPORT_VOTE_RATE_PER_IP = env.int("SUPPORT_VOTE_RATE_PER_IP", default=60)
SUPPORT_SUBJECT_MAX_LENGTH = 200
SUPPORT_MESSAGE_MAX_LENGTH = 5000
SUPPORT_FEEDBACK_MAX_LENGTH = 1000
# How long the "view and reply to your ticket" link in an e-mail works.
SUPPORT_TICKET_LINK_MAX_AGE = env.int("SUPPORT_TICKET_LINK_MAX_AGE", default=30 * 24 * 3600)
