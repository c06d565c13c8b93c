"""Resets of accounts with a second factor (issue 15).

The reset link asks for the enrolled factor (an authenticator code or a recovery code) before
the reset form appears. A customer who lost it too can start a cooling-off reset: the link
then works without the factor only once RESET_COOLING_OFF_DAYS have passed, the owner is
e-mailed at the start and a day before the end, signed-in apps see the pending wipe through
the API, and "this wasn't me" (reset_cancel) stops it. Completing such a reset removes the
lost factors (reset_complete).
"""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, SecurityEvent
from accounts.second_factors import second_factor_enrolled
from accounts.services import security_event_record
from core.origin import Origin
from mailer.services import email_queue

from ..models import ResetRequest
from .requests import reset_event_record, reset_request_usable

COOLING_OFF_STARTED_KIND = "resets.cooling_off_started"
COOLING_OFF_REMINDER_KIND = "resets.cooling_off_reminder"

# What the link page must ask for before the reset form.
NO_FACTOR = "no_factor"  # no second factor: the reset works as before
FACTOR_REQUIRED = "factor_required"  # enter the factor, or start a cooling-off reset
COOLING_OFF = "cooling_off"  # the wait runs: enter the factor, or wait
COOLED_OFF = "cooled_off"  # the wait is over: the reset works without the factor


class ResetSecondFactorRequired(Exception):
    """The account has a second factor and the reset neither passed it nor waited."""


def reset_factor_step(reset_request: ResetRequest) -> str:
    """Where the reset of `reset_request` stands with respect to the account's second factor."""
    if not second_factor_enrolled(reset_request.account.user):
        return NO_FACTOR
    if reset_request.cooling_off_until is None:
        return FACTOR_REQUIRED
    return COOLING_OFF if reset_request.cooling_off_running else COOLED_OFF


def reset_factor_allows_completion(reset_request: ResetRequest, *, second_factor_passed: bool) -> bool:
    """True when the reset may complete: no factor, the factor was passed, or the wait is over."""
    return second_factor_passed or reset_factor_step(reset_request) in (NO_FACTOR, COOLED_OFF)


def second_factors_remove_lost(*, account: Account) -> list[str]:
    """Remove every second factor of the account (the reset after a cooling-off); their kinds."""
    authenticators = Authenticator.objects.filter(user_id=account.user_id)
    kinds = sorted({a.type for a in authenticators})
    authenticators.delete()
    return kinds


@transaction.atomic
def reset_cooling_off_start(*, reset_request: ResetRequest, origin: Origin | None = None) -> bool:
    """Start the wait of a reset whose owner lost the second factor; False if it cannot start."""
    reset_request = (
        ResetRequest.objects.select_for_update().select_related("account__user").get(pk=reset_request.pk)
    )
    if reset_factor_step(reset_request) != FACTOR_REQUIRED or not reset_request_usable(reset_request):
        return False
    now = timezone.now()
    until = now + timedelta(days=settings.RESET_COOLING_OFF_DAYS)
    reset_request.cooling_off_until = until
    reset_request.expires_at = until + timedelta(hours=settings.RESET_COOLING_OFF_LINK_HOURS)
    reset_request.save(update_fields=["cooling_off_until", "expires_at"])
    details = {"cooling_off_until": until.isoformat()}
    reset_event_record(reset_request=reset_request, state=reset_request.state, origin=origin, details=details)
    account = reset_request.account
    security_event_record(
        account=account, type=SecurityEvent.Type.RESET_COOLING_OFF_STARTED, origin=origin, details=details
    )
    email_queue(
        to=account.user.email,
        kind=COOLING_OFF_STARTED_KIND,
        account=account,
        context={"reset_request_id": reset_request.pk},
    )
    return True


def reset_cooling_off_remind() -> int:
    """E-mail the owner of each cooling-off reset that ends within a day (once); how many."""
    now = timezone.now()
    due = ResetRequest.objects.filter(
        state__in=ResetRequest.PENDING_STATES,
        cooling_off_until__gt=now,
        cooling_off_until__lte=now + timedelta(days=1),
        cooling_off_reminded_at__isnull=True,
    ).select_related("account__user")
    sent = 0
    for reset_request in due:
        with transaction.atomic():
            claimed = ResetRequest.objects.filter(
                pk=reset_request.pk, cooling_off_reminded_at__isnull=True
            ).update(cooling_off_reminded_at=now)
            if not claimed:
                continue
            email_queue(
                to=reset_request.account.user.email,
                kind=COOLING_OFF_REMINDER_KIND,
                account=reset_request.account,
                context={"reset_request_id": reset_request.pk},
            )
            sent += 1
    return sent
