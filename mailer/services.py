"""Queue e-mails through the outbox and deliver them, once, from the worker."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboundEmail
from .registry import EmailKind, EmailPartsMissing, kind_get, kinds_transient

logger = logging.getLogger(__name__)

SENDING_STALE_AFTER = timedelta(minutes=5)
QUEUED_STALE_AFTER = timedelta(seconds=30)


def email_queue(
    *,
    to: str,
    kind: str,
    account=None,
    context: dict | None = None,
    created_by=None,
    transient: dict | None = None,
) -> OutboundEmail:
    """Record an e-mail of a declared `kind` in the outbox; after commit, hand it to the worker.

    `context` holds ids and non-secret values only: the worker renders the e-mail from it at
    send time. `transient` holds the kind's secret arguments (e.g. the QR payload): they go
    to the worker with the task and are never stored. If the broker is down, an e-mail
    without transient arguments stays queued and the periodic `outbox_flush` sends it later.
    """
    declared = kind_get(kind)
    given = tuple(sorted(transient or {}))
    if given != tuple(sorted(declared.transient)):
        raise TypeError(
            f"E-mail kind {kind!r} takes the transient arguments {declared.transient}, not {given}."
        )
    email = OutboundEmail.objects.create(
        to=to, kind=kind, account=account, context=context or {}, created_by=created_by
    )
    email_id = email.pk
    transaction.on_commit(lambda: email_enqueue(email_id=email_id, transient=transient))
    return email


def email_enqueue(*, email_id: int, transient: dict | None = None) -> bool:
    """Queue the send task for an outbox row; return False if the broker is down.

    The row is kept for the outbox flush, except an e-mail with transient arguments: those
    are gone with the request, so it is marked failed (the user asks again).
    """
    from .tasks import send_email

    try:
        send_email.apply_async(args=[email_id], kwargs=transient or {})
    except Exception as exc:  # noqa: BLE001 - any broker failure: the outbox keeps the row
        if transient:
            logger.warning("Broker unavailable, e-mail %s not sent: %s", email_id, type(exc).__name__)
            email_mark_failed(
                email_id=email_id, error="Broker unavailable; the e-mail could not be kept. Ask for it again."
            )
        else:
            logger.warning(
                "Broker unavailable, e-mail %s stays in the outbox: %s", email_id, type(exc).__name__
            )
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


def _render(email: OutboundEmail, kind: EmailKind, transient: dict) -> EmailMultiAlternatives | None:
    """Run the kind's `prepare` service, then its renderer; None means "no longer needed"."""
    if set(kind.transient) - set(transient):
        return None  # its secret arguments are gone: never send it empty
    if kind.prepare is not None and kind.prepare(email) is False:
        return None
    message = kind.render(email, **{name: transient[name] for name in kind.transient})
    if message is None:
        return None
    html = next((str(body) for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
    if not str(message.body).strip() or not html.strip():
        raise EmailPartsMissing(f"{kind.name}: every e-mail needs a plain-text part and an HTML part.")
    email.subject = str(message.subject)[:300]
    fields = ["subject", "updated_at"]
    if kind.keep_body:
        email.text_body = str(message.body)
        email.html_body = html
        fields += ["text_body", "html_body"]
    email.save(update_fields=fields)
    return message


def email_send(*, email_id: int, takeover: bool = False, **transient) -> OutboundEmail | None:
    """Render and send one outbox e-mail; raise on a transport error so the task can retry.

    Safe to run twice (acks_late, outbox flush): a row already sent is skipped, and a
    re-send after a crash carries the same Message-ID, so mail clients show it once.
    `transient` holds the kind's secret arguments, as handed to the task.
    """
    email = _claim(email_id, takeover=takeover)
    if email is None:
        return None
    try:
        kind = kind_get(email.kind)
        message = _render(email, kind, transient)
        if message is None:
            _finish(email, status=OutboundEmail.Status.CANCELLED)
            return email
        message.to = [email.to]
        message.extra_headers["Message-ID"] = _message_id(email)
        message.send()
        if kind.on_sent is not None:
            kind.on_sent(email)
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


def outbox_pending_ids(*, now=None) -> list[int]:
    """Return the ids of e-mails that should have been handed to the worker by now.

    Kinds with transient arguments are left out: their secrets live only in their own
    task and its retries, so the flush could neither rebuild nor should it cancel them.
    """
    now = now or timezone.now()
    queued = Q(status=OutboundEmail.Status.QUEUED, updated_at__lt=now - QUEUED_STALE_AFTER)
    stale = Q(status=OutboundEmail.Status.SENDING, updated_at__lt=now - SENDING_STALE_AFTER)
    pending = OutboundEmail.objects.filter(queued | stale).exclude(kind__in=kinds_transient())
    return list(pending.values_list("pk", flat=True)[:500])
