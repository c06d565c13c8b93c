"""The QR e-mail task: it alone holds the payload, only while it lives, and never logs it."""

from celery import Task

from core.origin import Origin
from mailer import services as mailer_services
from mailer.tasks import TRANSIENT_ERRORS
from portal.celery import app


class PayloadTask(Task):
    """A task whose `payload` argument is hidden from worker logs and the broker's argsrepr."""

    def apply_async(self, args=None, kwargs=None, **options):
        shown = {key: ("[hidden]" if key == "payload" else value) for key, value in (kwargs or {}).items()}
        options["argsrepr"] = "()"
        options["kwargsrepr"] = repr(shown)
        return super().apply_async(args, kwargs, **options)


# Bound to the portal app itself (not `shared_task`): it is queued from the live server's request
# threads, where Celery's thread-local current app is not the portal's.
@app.task(
    bind=True,
    base=PayloadTask,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=20,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def account_key_qr_send(self, *, email_id: int, payload: str) -> None:
    """Send QR e-mail `email_id` built with `payload`; retry transport errors, then mark it failed.

    Retries are at most 20 s apart so that the outbox flush (which cancels QR e-mails it finds
    queued for 30 s, having no payload) never races them.
    """
    from .emails import qr_email_message

    try:
        mailer_services.email_send(
            email_id=email_id, build=lambda email: qr_email_message(email=email, payload=payload)
        )
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            mailer_services.email_mark_failed(email_id=email_id, error=f"{type(exc).__name__}: {exc}")
            return
        raise


@app.task(ignore_result=True)
def sign_in_failure_record(*, email: str, origin: dict) -> None:
    """Record a failed app sign-in on the account of `email`, if there is one (worker side)."""
    from accounts.models import SecurityEvent
    from accounts.selectors import account_for_email
    from accounts.services import security_event_record

    account = account_for_email(email)
    if account is not None:
        security_event_record(
            account=account,
            type=SecurityEvent.Type.SIGN_IN_FAILED,
            origin=Origin.from_dict(origin),
            details={"via": "app"},
        )
