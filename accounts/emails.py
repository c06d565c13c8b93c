"""E-mail change messages, rendered by the worker at send time (links are never stored)."""

from django.conf import settings
from django.urls import reverse

from mailer.registry import renderer
from mailer.rendering import email_message, email_render

from .email_change import (
    CONFIRM,
    CONFIRM_KIND,
    NOTICE_KIND,
    UNDO,
    email_change_confirmable,
    email_change_token,
    email_change_undoable,
)
from .models import EmailChange, User


def _change(email) -> EmailChange | None:
    return (
        EmailChange.objects.select_related("account__user")
        .filter(pk=(email.context or {}).get("email_change_id"))
        .first()
    )


@renderer(CONFIRM_KIND)
def email_change_confirm_email(email):
    """The link to the new address; nothing is sent when the address already has an account."""
    change = _change(email)
    if change is None or not email_change_confirmable(change):
        return None
    if User.objects.filter(email=change.new_email).exclude(pk=change.account.user_id).exists():
        return None
    path = reverse("accounts:email_confirm_token", args=[email_change_token(change=change, purpose=CONFIRM)])
    rendered = email_render(
        "accounts/email/email_change_confirm",
        {
            "change": change,
            "link": settings.SITE_URL + path,
            "ttl_hours": settings.EMAIL_CHANGE_LINK_TTL_MINUTES // 60,
        },
    )
    return email_message(to=change.new_email, rendered=rendered)


@renderer(NOTICE_KIND)
def email_changed_notice_email(email):
    """The notice to the old address, with the "this wasn't me" link that undoes the change."""
    change = _change(email)
    if change is None or not email_change_undoable(change):
        return None
    path = reverse("accounts:email_undo_token", args=[email_change_token(change=change, purpose=UNDO)])
    rendered = email_render(
        "accounts/email/email_changed_notice",
        {"change": change, "link": settings.SITE_URL + path, "undo_days": settings.EMAIL_CHANGE_UNDO_DAYS},
    )
    return email_message(to=change.old_email, rendered=rendered)
