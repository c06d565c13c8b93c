"""Audit events for what allauth does on its own (sign-in, sign-out, e-mail verified)."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core.origin import Origin

from .models import Account, SecurityEvent
from .services import security_event_record


def _account(user):
    return Account.objects.filter(user=user).first() if user is not None else None


def _request_origin(request) -> Origin | None:
    return Origin.from_request(request) if request is not None else None


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    account = _account(user)
    if account:
        security_event_record(
            account=account, type=SecurityEvent.Type.SIGNED_IN, origin=_request_origin(request)
        )


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    account = _account(user)
    if account:
        security_event_record(
            account=account, type=SecurityEvent.Type.SIGNED_OUT, origin=_request_origin(request)
        )


@receiver(email_confirmed)
def record_email_verified(sender, request, email_address, **kwargs):
    account = _account(email_address.user)
    if account:
        security_event_record(
            account=account, type=SecurityEvent.Type.EMAIL_VERIFIED, origin=_request_origin(request)
        )
