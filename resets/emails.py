"""The reset e-mails, rendered by the worker at send time so no link or hint is ever stored.

Renderers only render. The worker-side writes live in services named by each kind's hooks:
`prepare` records the request (or addresses the hint) before rendering, `on_sent` records
"emailed" (or the hint's security event) once the mail server has accepted the message.
"""

from django.conf import settings
from django.urls import reverse

from core.request_meta import browser_describe, place_approximate
from mailer.models import OutboundEmail
from mailer.registry import email_kind
from mailer.rendering import email_message, email_render

from .models import ResetRequest
from .services import requests as services
from .services.second_factors import COOLING_OFF_REMINDER_KIND, COOLING_OFF_STARTED_KIND
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


def _reset_link_message(email: OutboundEmail):
    reset_request = (
        ResetRequest.objects.select_related("account__user")
        .filter(pk=(email.context or {}).get("reset_request_id"))
        .first()
    )
    if reset_request is None or not services.reset_request_usable(reset_request):
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
            "asked_at": reset_request.created_at,
            "asked_by_support": bool((email.context or {}).get("actor_id")),
            "asked_ip": reset_request.ip,
            "asked_browser": browser_describe(reset_request.user_agent),
            "asked_place": place_approximate(reset_request.ip),
            "contact_url": settings.SITE_URL + reverse("help:ticket_new"),
            "erased": ERASED,
            "kept": KEPT,
        },
    )
    return email_message(to=account.user.email, rendered=rendered)


@email_kind(
    services.REQUEST_KIND,
    label="Reset link",
    prepare=services.reset_request_prepare,
    on_sent=services.reset_link_emailed,
)
def reset_request_render(email: OutboundEmail):
    """A reset asked for on the web form (the request was recorded by `prepare`): its link."""
    return _reset_link_message(email)


@email_kind(services.LINK_KIND, label="Reset link", on_sent=services.reset_link_resent)
def reset_link_render(email: OutboundEmail):
    """A support re-send of a pending request's link, to the account's own address."""
    return _reset_link_message(email)


@email_kind(
    services.HINT_KIND,
    label="Password hint",
    prepare=services.password_hint_prepare,
    on_sent=services.password_hint_sent,
)
def password_hint_render(email: OutboundEmail):
    """The password hint, read from the account only now: it is never stored in the outbox."""
    account = email.account
    rendered = email_render(
        "resets/email/password_hint",
        {"hint": account.password_hint, "notice_url": settings.SITE_URL + reverse("resets:notice")},
    )
    return email_message(to=account.user.email, rendered=rendered)


@email_kind(services.COMPLETED_KIND, label="Reset confirmation", keep_body=True)
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


def _cooling_off_message(email: OutboundEmail, template: str):
    reset_request = (
        ResetRequest.objects.select_related("account__user")
        .filter(pk=(email.context or {}).get("reset_request_id"), cooling_off_until__isnull=False)
        .first()
    )
    if reset_request is None or not reset_request.is_pending:
        return None  # cancelled, completed or expired meanwhile
    account = reset_request.account
    cancel = default_token_generator.token_make(
        purpose=CANCEL, account_pk=account.pk, nonce=reset_request.nonce
    )
    rendered = email_render(
        template,
        {
            "account": account,
            "cooling_off_until": reset_request.cooling_off_until,
            "days": settings.RESET_COOLING_OFF_DAYS,
            "cancel_url": settings.SITE_URL + reverse("resets:cancel_token", args=[cancel]),
            "erased": ERASED,
        },
    )
    return email_message(to=account.user.email, rendered=rendered)


@email_kind(COOLING_OFF_STARTED_KIND, label="Reset without second factor: waiting period started")
def cooling_off_started_render(email: OutboundEmail):
    """The owner lost the second factor (or someone says so): the wait began; "this wasn't me"."""
    return _cooling_off_message(email, "resets/email/cooling_off_started")


@email_kind(COOLING_OFF_REMINDER_KIND, label="Reset without second factor: one day left")
def cooling_off_reminder_render(email: OutboundEmail):
    """A day before the wait ends: last chance to cancel."""
    return _cooling_off_message(email, "resets/email/cooling_off_reminder")
