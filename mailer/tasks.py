"""Celery tasks that deliver the outbox."""

import smtplib

from celery import shared_task

from . import services

TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError, ConnectionError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def send_email(self, email_id: int) -> None:
    """Send outbox e-mail `email_id`; retry transport errors with backoff, then mark failed."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        services.email_send(email_id=email_id, takeover=redelivered)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.email_mark_failed(email_id=email_id, error=f"{type(exc).__name__}: {exc}")
            return
        raise


@shared_task
def outbox_flush() -> int:
    """Hand to the worker every e-mail left queued (e.g. the broker was down at request time)."""
    ids = services.outbox_pending_ids()
    for email_id in ids:
        services.email_enqueue(email_id=email_id)
    return len(ids)
