"""The one task that sends e-mail, with the one retry policy, and the outbox flush."""

import smtplib

from celery import shared_task

from core.eager import AfterResponseTask

from . import services

TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError, ConnectionError)


# The app's own task class (`task_cls`): on the embedded default, tasks queued in a request run
# after its response. Named directly: `current_app.Task` depends on what was imported first.
class SecretArgumentsTask(AfterResponseTask):
    """Keyword arguments (an e-mail kind's transient secrets) never show in logs or argsrepr.

    Workers and monitoring print a task's `argsrepr`/`kwargsrepr`; only the e-mail id is
    shown, each keyword argument's value is replaced by "[hidden]".
    """

    def apply_async(self, args=None, kwargs=None, **options):
        options["argsrepr"] = repr(tuple(args or ()))
        options["kwargsrepr"] = repr({key: "[hidden]" for key in (kwargs or {})})
        return super().apply_async(args, kwargs, **options)


@shared_task(
    bind=True,
    base=SecretArgumentsTask,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def send_email(self, email_id: int, **transient) -> None:
    """Send outbox e-mail `email_id`; retry transport errors with backoff, then mark it failed.

    `transient` holds the kind's secret arguments (e.g. the QR payload), alive only in this
    task and its retries. The outbox flush leaves such e-mails alone, so backoff may be long.
    """
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        services.email_send(email_id=email_id, takeover=redelivered, **transient)
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
