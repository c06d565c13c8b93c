"""Links in ticket e-mails: an HMAC of the ticket and its nonce, with a timestamp; nothing stored.

Like `django.contrib.auth.tokens`: the token is rebuilt at send time from the ticket's id
and `reply_nonce` under SECRET_KEY, so the outbox never holds it. Changing the nonce kills
every link already sent.
"""

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
