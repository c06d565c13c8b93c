"""Queue e-mails through the outbox and deliver them, once, from the worker."""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboundEmail
from .registry import renderer_for
from .rendering import RenderedEmail, email_message

logger = logging.getLogger(__name__)

SENDING_STALE_AFTER = timedelta(minutes=5)
QUEUED_STALE_AFTER = timedelta(seconds=30)

MessageBuilder = Callable[[OutboundEmail], EmailMultiAlternatives | None]


def email_queue(
    *,
    to: str,
    kind: str,
    account=None,
    rendered: RenderedEmail | None = None,
    context: dict | None = None,
    created_by=None,
    enqueue: bool = True,
) -> OutboundEmail:
    """Record an e-mail in the outbox and hand it to the worker once the transaction commits.

    Pass `rendered` for an e-mail whose content holds no secret, or `context` (ids only)
    for a kind with a registered renderer. If the broker is down, the row stays queued and
    the periodic `outbox_flush` task sends it later: nothing is lost.
    """
    email = OutboundEmail.objects.create(
        to=to,
        kind=kind,
        account=account,
        subject=rendered.subject if rendered else "",
        text_body=rendered.text if rendered else "",
        html_body=rendered.html if rendered else "",
        context=context or {},
        created_by=created_by,
    )
    if enqueue:
        transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return email


def email_enqueue(*, email_id: int) -> bool:
    """Queue the send task for an outbox row; return False (row kept) if the broker is down."""
    from .tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the outbox keeps the row
        logger.warning("Broker unavailable, e-mail %s stays in the outbox: %s", email_id, type(exc).__name__)
        return False
    return True


def _message_id(email: OutboundEmail) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    return f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _claim(email_id: int, *, takeover: bool) -> OutboundEmail | None:
    """Mark the row as being sent, unless it is done or another worker holds it.

    `takeover` is set when the broker redelivers the task after a worker died mid-send:
    the row still says "sending", but nobody is sending it any more.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return None
        now = timezone.now()
        in_flight = (
            email.status == OutboundEmail.Status.SENDING and (now - email.updated_at) < SENDING_STALE_AFTER
        )

        if in_flight and not takeover:
            return None
        if email.status not in (OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING):
            return None
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts", "updated_at"])
        return email


def _build(email: OutboundEmail, build: MessageBuilder | None) -> EmailMultiAlternatives | None:
    if build is not None:
        return build(email)
    render = renderer_for(email.kind)
    if render is not None:
        return render(email)
    return email_message(
        to=email.to,
        rendered=RenderedEmail(subject=email.subject, text=email.text_body, html=email.html_body),
    )


def email_send(
    *, email_id: int, build: MessageBuilder | None = None, takeover: bool = False
) -> OutboundEmail | None:
    """Send one outbox e-mail; raise on a transport error so the task can retry.

    Safe to run twice (acks_late, outbox flush): a row already sent is skipped, and a
    re-send after a crash carries the same Message-ID, so mail clients show it once.
    """
    email = _claim(email_id, takeover=takeover)
    if email is None:
        return None
    try:
        message = _build(email, build)
        if message is None:
            _finish(email, status=OutboundEmail.Status.CANCELLED)
            return email
        message.to = [email.to]
        message.extra_headers["Message-ID"] = _message_id(email)
        message.send()
    except Exception as exc:
        email.status = OutboundEmail.Status.QUEUED
        email.last_error = f"{type(exc).__name__}: {exc}"[:300]
        email.save(update_fields=["status", "last_error", "updated_at"])
        raise
    status = getattr(message, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status else None
    _finish(email, status=OutboundEmail.Status.SENT, message_id=str(provider_id or _message_id(email)))
    return email


def _finish(email: OutboundEmail, *, status: str, message_id: str = "") -> None:
    email.status = status
    email.sent_at = timezone.now() if status == OutboundEmail.Status.SENT else None
    email.message_id = message_id[:200]
    email.last_error = ""
    email.text_body = ""
    email.html_body = ""
    email.save(
        update_fields=[
            "status",
            "sent_at",
            "message_id",
            "last_error",
            "text_body",
            "html_body",
            "updated_at",
        ]
    )


def email_mark_failed(*, email_id: int, error: str) -> None:
    """Give up on an e-mail after its last retry; support sees it as failed."""
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED, last_error=error[:300], updated_at=timezone.now()
    )


def email_track(*, message_id: str, event_type: str) -> int:
    """Apply a provider's delivery event (from anymail's tracking signal) to the outbox."""
    mapping = {
        "delivered": OutboundEmail.Status.DELIVERED,
        "bounced": OutboundEmail.Status.BOUNCED,
        "rejected": OutboundEmail.Status.FAILED,
        "failed": OutboundEmail.Status.FAILED,
    }
    status = mapping.get(event_type)
    if status is None or not message_id:
        return 0
    return OutboundEmail.objects.filter(message_id=message_id).update(
        status=status, updated_at=timezone.now()
    )


# Kinds whose content lives only in their own task's arguments (the QR payload is never stored):
# the outbox flush cannot rebuild them, so it leaves them to that task and its retries.
TRANSIENT_KINDS: set[str] = set()


def outbox_pending_ids(*, now=None) -> list[int]:
    """Return the ids of e-mails that should have been handed to the worker by now."""
    now = now or timezone.now()
    queued = Q(status=OutboundEmail.Status.QUEUED, updated_at__lt=now - QUEUED_STALE_AFTER)
    stale = Q(status=OutboundEmail.Status.SENDING, updated_at__lt=now - SENDING_STALE_AFTER)
    pending = OutboundEmail.objects.filter(queued | stale).exclude(kind__in=TRANSIENT_KINDS)
    return list(pending.values_list("pk", flat=True)[:500])
