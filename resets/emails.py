"""The reset e-mails, rendered by the worker at send time so no link or hint is ever stored.

Each function is a registered mailer renderer: it gets the outbox row and returns the
message, or None when nothing should be sent (unknown address, request no longer pending).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import SecurityEvent, User
from accounts.services import security_event_record
from core.origin import Origin
from mailer.models import OutboundEmail
from mailer.registry import renderer
from mailer.rendering import RenderedEmail, email_message, email_render

from . import services
from .models import ResetRequest
from .selectors import reset_account_for_email
from .tokens import CANCEL, RESET, default_token_generator

ERASED = [
    "every item in your vault (passwords, notes, cards, files), on our servers",
    "the copies in your apps: each app erases its local vault when it next connects",
    "every sync record and every backup or export made before the reset (they can no longer be imported)",
    "your current account key and QR code",
]
KEPT = [
    "your account, its account ID and your e-mail address",
    "your licence, its history and your payment details",
    "your support tickets",
]


class _MessageWithReceipt(EmailMultiAlternatives):
    """A message that runs `on_sent` once the mail server has accepted it."""

    on_sent: Callable[[], None] | None = None

    def send(self, fail_silently=False):
        sent = super().send(fail_silently=fail_silently)
        if sent and self.on_sent is not None:
            self.on_sent()
        return sent


def _message_with_receipt(*, to: str, rendered: RenderedEmail, on_sent: Callable[[], None]):
    plain = email_message(to=to, rendered=rendered)
    message = _MessageWithReceipt(
        subject=plain.subject,
        body=plain.body,
        from_email=plain.from_email,
        to=plain.to,
        headers=plain.extra_headers,
        alternatives=plain.alternatives,
    )
    message.on_sent = on_sent
    return message


def _reset_link_message(email: OutboundEmail, reset_request: ResetRequest, *, resend: bool):
    if not services.reset_request_usable(reset_request):
        return None
    account = reset_request.account
    token = default_token_generator.token_make(
        purpose=RESET, account_pk=account.pk, nonce=reset_request.nonce
    )
    cancel = default_token_generator.token_make(
        purpose=CANCEL, account_pk=account.pk, nonce=reset_request.nonce
    )
    rendered = email_render(
        "resets/email/reset_link",
        {
            "account": account,
            "reset_url": settings.SITE_URL + reverse("resets:link_token", args=[token]),
            "cancel_url": settings.SITE_URL + reverse("resets:cancel_token", args=[cancel]),
            "ttl_minutes": settings.RESET_LINK_TTL_MINUTES,
            "expires_at": reset_request.expires_at,
            "erased": ERASED,
            "kept": KEPT,
        },
    )
    actor_id = (email.context or {}).get("actor_id")
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return _message_with_receipt(
        to=account.user.email,
        rendered=rendered,
        on_sent=lambda: services.reset_request_emailed(
            reset_request=reset_request, actor=actor, resend=resend
        ),
    )


@renderer(services.REQUEST_KIND)
def reset_request_render(email: OutboundEmail):
    """A reset asked for on the web form: record the request, then e-mail its link."""
    reset_request = services.reset_request_record(email=email)
    if reset_request is None:
        return None
    return _reset_link_message(email, reset_request, resend=False)


@renderer(services.LINK_KIND)
def reset_link_render(email: OutboundEmail):
    """A support re-send of a pending request's link, to the account's own address."""
    reset_request = (
        ResetRequest.objects.select_related("account__user")
        .filter(pk=(email.context or {}).get("reset_request_id"))
        .first()
    )
    if reset_request is None:
        return None
    return _reset_link_message(email, reset_request, resend=True)


@renderer(services.HINT_KIND)
def password_hint_render(email: OutboundEmail):
    """The password hint, read from the account only now: it is never stored in the outbox."""
    account = reset_account_for_email(email.to)
    if account is None:
        return None
    context = email.context or {}
    email.account = account
    email.to = account.user.email
    email.save(update_fields=["account", "to", "updated_at"])
    rendered = email_render(
        "resets/email/password_hint",
        {"hint": account.password_hint, "notice_url": settings.SITE_URL + reverse("resets:notice")},
    )
    return _message_with_receipt(
        to=account.user.email,
        rendered=rendered,
        on_sent=lambda: security_event_record(
            account=account,
            type=SecurityEvent.Type.HINT_SENT,
            origin=Origin.from_dict(context),
        ),
    )


@renderer(services.COMPLETED_KIND)
def reset_completed_render(email: OutboundEmail):
    """ "Your account was reset": what was erased and kept, when, from where, the new generation."""
    reset_request = (
        ResetRequest.objects.select_related("account__user", "account__license")
        .filter(pk=(email.context or {}).get("reset_request_id"), state=ResetRequest.State.COMPLETED)
        .first()
    )
    if reset_request is None:
        return None
    event = reset_request.events.filter(state=ResetRequest.State.COMPLETED).first()
    details = event.details if event else {}
    account = reset_request.account
    rendered = email_render(
        "resets/email/reset_completed",
        {
            "account": account,
            "license": getattr(account, "license", None),
            "completed_at": reset_request.finished_at,
            "ip": event.ip if event else None,
            "details": details,
            "new_generation": details.get("new_generation", account.key_generation),
            "backup_downloaded": reset_request.backup_downloaded_at is not None,
            "erased": ERASED,
            "kept": KEPT,
            "sign_in_url": settings.SITE_URL + reverse("account_login"),
        },
    )
    return email_message(to=account.user.email, rendered=rendered)
