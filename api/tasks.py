"""Worker-side work of the app API (its QR e-mail is sent by mailer's one send task)."""

from celery import shared_task

from accounts.models import SecurityEvent
from accounts.selectors import account_for_email
from accounts.services import security_event_record
from core.origin import Origin


@shared_task(ignore_result=True)
def sign_in_failure_record(*, email: str, origin: dict) -> None:
    """Record a failed app sign-in on the account of `email`, if there is one (worker side)."""
    account = account_for_email(email)
    if account is not None:
        security_event_record(
            account=account,
            type=SecurityEvent.Type.SIGN_IN_FAILED,
            origin=Origin.from_dict(origin),
            details={"via": "app"},
        )
