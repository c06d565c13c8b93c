"""Links in ticket e-mails: an HMAC of the ticket and its nonce, with a timestamp; nothing stored.

Like `django.contrib.auth.tokens`: the token is rebuilt at send time from the ticket's id
and `reply_nonce` under SECRET_KEY, so the outbox never holds it. Changing the nonce kills
every link already sent.
"""

import base64
import hashlib
import time

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36


class TicketLinkTokenGenerator:
    key_salt = "support.tokens.TicketLinkTokenGenerator"

    def _now(self) -> int:
        return int(time.time())

    def _hash(self, ticket, timestamp: int) -> str:
        value = f"{ticket.pk}:{ticket.reply_nonce}:{timestamp}"
        return salted_hmac(self.key_salt, value, algorithm="sha256").hexdigest()[:40]

    def make_token(self, ticket) -> str:
        timestamp = self._now()
        return f"{int_to_base36(timestamp)}-{self._hash(ticket, timestamp)}"

    def check_token(self, ticket, token: str) -> bool:
        if not token or "-" not in token or len(token) > 80:
            return False
        ts_b36, _ = token.split("-", 1)
        try:
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        expected = f"{ts_b36}-{self._hash(ticket, timestamp)}"
        if not constant_time_compare(expected, token):
            return False
        return 0 <= self._now() - timestamp <= settings.SUPPORT_TICKET_LINK_MAX_AGE


ticket_link_token = TicketLinkTokenGenerator()


# --- reply addresses ------------------------------------------------------------------------
#
# Every ticket e-mail has `Reply-To: reply+<token>@<SUPPORT_REPLY_DOMAIN>`. The token is an
# HMAC of (ticket id, reply_nonce) under SECRET_KEY, so the worker rebuilds it at send time and
# the outbox never holds it; the ticket stores only its SHA-256 (`reply_token_hash`), which the
# inbound paths look up. A forged token matches no hash; changing the nonce retires it.

REPLY_LOCAL_PREFIX = "reply+"
REPLY_TOKEN_SALT = "support.tokens.reply_address"
REPLY_TOKEN_LENGTH = 32  # lower-case base32: survives mail servers that fold the local part's case


def reply_token_make(*, ticket_id: int, reply_nonce: str) -> str:
    """The reply-address token of a ticket (a pure function of its id and nonce)."""
    digest = salted_hmac(REPLY_TOKEN_SALT, f"{ticket_id}:{reply_nonce}", algorithm="sha256").digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()


def reply_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


def reply_address(ticket) -> str:
    """`reply+<token>@<SUPPORT_REPLY_DOMAIN>`: the Reply-To of the ticket's e-mails."""
    token = reply_token_make(ticket_id=ticket.pk, reply_nonce=ticket.reply_nonce)
    return f"{REPLY_LOCAL_PREFIX}{token}@{settings.SUPPORT_REPLY_DOMAIN}"


def reply_token_from_address(address: str) -> str | None:
    """The token in `reply+<token>@any.domain` (any case), or None when it is not a reply address."""
    local, at, _domain = (address or "").strip().strip("<>").rpartition("@")
    local = local.lower()
    if not at or not local.startswith(REPLY_LOCAL_PREFIX):
        return None
    token = local[len(REPLY_LOCAL_PREFIX) :]
    if len(token) != REPLY_TOKEN_LENGTH or not all(c in "abcdefghijklmnopqrstuvwxyz234567" for c in token):
        return None
    return token
