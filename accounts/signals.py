"""Audit events for what allauth does on its own (sign-in, sign-out, e-mail verified, second factors)."""

from allauth.account.signals import email_confirmed
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core.origin import Origin

from .models import Account, SecurityEvent
from .second_factors import (
    ADDED,
    REGENERATED,
    REMOVED,
    second_factor_added_sessions_end,
    second_factor_change_record,
    second_factor_failure_record,
)
from .services import security_event_record


def _request_origin(request) -> Origin | None:
    return Origin.from_request(request) if request is not None else None


def _record(user, type: str, request) -> None:
    """Record `type` on the account of `user` (if it has one), from `request` (if any)."""
    account = Account.objects.filter(user=user).first() if user is not None else None
    if account:
        security_event_record(account=account, type=type, origin=_request_origin(request))


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    _record(user, SecurityEvent.Type.SIGNED_IN, request)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    _record(user, SecurityEvent.Type.SIGNED_OUT, request)


@receiver(email_confirmed)
def record_email_verified(sender, request, email_address, **kwargs):
    _record(email_address.user, SecurityEvent.Type.EMAIL_VERIFIED, request)


# --- Second factors (allauth.mfa): every change is a security event and an e-mail ---------


@receiver(authenticator_added)
def record_second_factor_added(sender, request, user, authenticator, **kwargs):
    second_factor_change_record(
        user=user, authenticator=authenticator, action=ADDED, origin=_request_origin(request)
    )
    keep = request.session.session_key if request is not None else None
    second_factor_added_sessions_end(user=user, authenticator=authenticator, keep_session_key=keep)


@receiver(authenticator_removed)
def record_second_factor_removed(sender, request, user, authenticator, **kwargs):
    second_factor_change_record(
        user=user, authenticator=authenticator, action=REMOVED, origin=_request_origin(request)
    )


@receiver(authenticator_reset)
def record_recovery_codes_regenerated(sender, request, user, authenticator, **kwargs):
    second_factor_change_record(
        user=user, authenticator=authenticator, action=REGENERATED, origin=_request_origin(request)
    )


@receiver(authentication_failed)
def record_second_factor_failed(sender, request, user, **kwargs):
    second_factor_failure_record(user=user, origin=_request_origin(request))
