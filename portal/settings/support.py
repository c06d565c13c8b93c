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
# Rows per page of the console's long lists (tickets, audit log); the rest is a "Next" away.
SUPPORT_CONSOLE_ROWS_PER_PAGE = 50
# Requests per page of a customer's "My requests".
SUPPORT_MY_REQUESTS_PER_PAGE = 20
# How long the "view and reply to your ticket" link in an e-mail works.
SUPPORT_TICKET_LINK_MAX_AGE = env.int("SUPPORT_TICKET_LINK_MAX_AGE", default=30 * 24 * 3600)

# Replies by e-mail (support/inbound.py). Ticket e-mails carry
# `Reply-To: reply+<token>@SUPPORT_REPLY_DOMAIN`; that domain's mail reaches the portal through
# the e-mail provider's inbound webhook (production) or the local listener (`make run`).
SUPPORT_REPLY_DOMAIN = env.str("SUPPORT_REPLY_DOMAIN", default="reply.vault.example")
# Mail bigger than this (raw message, attachments included) is refused with a polite answer.
SUPPORT_INBOUND_MAX_BYTES = env.int("SUPPORT_INBOUND_MAX_BYTES", default=1_000_000)
# Replies accepted per sender address; polite refusals sent per sender address (no mail loops).
SUPPORT_INBOUND_RATE_PER_SENDER = env.str("SUPPORT_INBOUND_RATE_PER_SENDER", default="20/h")
SUPPORT_INBOUND_REFUSAL_RATE_PER_SENDER = env.str("SUPPORT_INBOUND_REFUSAL_RATE_PER_SENDER", default="3/h")

# Supervisor actions (licence change, account closing) need a second factor entered this
# recently (allauth.mfa's re-authentication page otherwise), in seconds.
SUPPORT_SECOND_FACTOR_REAUTH_SECONDS = env.int("SUPPORT_SECOND_FACTOR_REAUTH_SECONDS", default=5 * 60)
