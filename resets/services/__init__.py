"""Every write of the reset flow: request, e-mail, open, cancel, complete, expire.

The web request does the same work whether or not an address has an account: it writes
one outbox row (kind `resets.reset_request`) and nothing else. The worker, when it sends
that row, looks the address up and records the `ResetRequest` (`reset_request_record`,
called by the kind's `prepare` hook declared in `resets.emails`). No account-dependent work happens while the
client waits, so neither the answer nor its timing says whether the address is known.
"""

from .completion import reset_complete
from .links import (
    reset_backup_record,
    reset_cancel,
    reset_request_for_token,
    reset_request_open,
    reset_requests_cancel_all,
    reset_requests_expire,
)
from .requests import (
    COMPLETED_KIND,
    HINT_KIND,
    LINK_KIND,
    REQUEST_KIND,
    ResetLinkInvalid,
    password_hint_request,
    reset_event_record,
    reset_request_create,
    reset_request_emailed,
    reset_request_record,
    reset_request_resend,
    reset_request_usable,
)
from .second_factors import (
    COOLED_OFF,
    COOLING_OFF,
    COOLING_OFF_REMINDER_KIND,
    COOLING_OFF_STARTED_KIND,
    FACTOR_REQUIRED,
    NO_FACTOR,
    ResetSecondFactorRequired,
    reset_cooling_off_remind,
    reset_cooling_off_start,
    reset_factor_step,
)

__all__ = [
    "COOLED_OFF",
    "COOLING_OFF",
    "COOLING_OFF_REMINDER_KIND",
    "COOLING_OFF_STARTED_KIND",
    "FACTOR_REQUIRED",
    "NO_FACTOR",
    "ResetSecondFactorRequired",
    "reset_cooling_off_remind",
    "reset_cooling_off_start",
    "reset_factor_step",
    "COMPLETED_KIND",
    "HINT_KIND",
    "LINK_KIND",
    "REQUEST_KIND",
    "ResetLinkInvalid",
    "password_hint_request",
    "reset_backup_record",
    "reset_cancel",
    "reset_complete",
    "reset_event_record",
    "reset_request_create",
    "reset_request_emailed",
    "reset_request_for_token",
    "reset_request_open",
    "reset_request_record",
    "reset_request_resend",
    "reset_request_usable",
    "reset_requests_cancel_all",
    "reset_requests_expire",
]
