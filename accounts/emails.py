"""allauth's e-mails and the e-mail change's, rendered by the worker at send time from ids (no
confirmation key or link token is stored).

`AccountAdapter.send_mail` queues one of these kinds with the address id only; the worker
rebuilds the confirmation key with allauth's HMAC confirmation (ACCOUNT_EMAIL_CONFIRMATION_HMAC)
and renders allauth's templates through the adapter (subject prefix, from address).
"""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.urls import reverse

from mailer.models import OutboundEmail
from mailer.registry import UnknownEmailKind, email_kind
from mailer.rendering import email_message, email_render

from .second_factors import EMAIL_SECOND_FACTOR_CHANGED
from .services import ACCOUNT_CLOSED_KIND

CONFIRMATION_SIGNUP_KIND = "account.email_confirmation_signup"
CONFIRMATION_KIND = "account.email_confirmation"
ALREADY_EXISTS_KIND = "account.already_exists"

TEMPLATE_OF_KIND = {
    CONFIRMATION_SIGNUP_KIND: "account/email/email_confirmation_signup",
    CONFIRMATION_KIND: "account/email/email_confirmation",
    ALREADY_EXISTS_KIND: "account/email/account_already_exists",
}
_KIND_OF_TEMPLATE = {template: kind for kind, template in TEMPLATE_OF_KIND.items()}


def allauth_email_kind(template_prefix: str) -> str:
    """The kind of the e-mail allauth asks to send with `template_prefix`; loud for any other."""
    try:
        return _KIND_OF_TEMPLATE[template_prefix]
    except KeyError:
        raise UnknownEmailKind(
            f"allauth e-mail {template_prefix!r} has no kind: declare one in accounts/emails.py."
        ) from None


def allauth_email_context(*, kind: str, email: str, context: dict) -> dict:
    """The ids the worker needs for `kind` (allauth's context holds the key: it is not kept)."""
    if kind in (CONFIRMATION_SIGNUP_KIND, CONFIRMATION_KIND):
        user = context["user"]
        address = EmailAddress.objects.filter(user=user, email__iexact=email).only("pk").first()
        return {"email_address_id": address.pk if address else None}
    return {}


def _render(kind: str, email: OutboundEmail, context: dict):
    ctx = {"email": email.to, "SITE_URL": settings.SITE_URL, **context}
    return get_adapter().render_mail(TEMPLATE_OF_KIND[kind], email.to, ctx)


def _confirmation(kind: str, email: OutboundEmail):
    if not allauth_settings.EMAIL_CONFIRMATION_HMAC:
        raise RuntimeError(
            "Address confirmation e-mails are rebuilt in the worker: set ACCOUNT_EMAIL_CONFIRMATION_HMAC."
        )
    address = (
        EmailAddress.objects.select_related("user")
        .filter(pk=(email.context or {}).get("email_address_id"), verified=False)
        .first()
    )
    if address is None:
        return None  # confirmed meanwhile, or removed: nothing to send
    confirmation = EmailConfirmationHMAC(address)
    activate_url = get_adapter().get_email_confirmation_url(None, confirmation)
    return _render(
        kind,
        email,
        {"email": address.email, "user": address.user, "key": confirmation.key, "activate_url": activate_url},
    )


@email_kind(CONFIRMATION_SIGNUP_KIND, label="Address verification (sign-up)")
def email_confirmation_signup_render(email: OutboundEmail):
    """The sign-up's "confirm your e-mail address" link."""
    return _confirmation(CONFIRMATION_SIGNUP_KIND, email)


@email_kind(CONFIRMATION_KIND, label="Address verification")
def email_confirmation_render(email: OutboundEmail):
    """A later "confirm your e-mail address" link (re-sent, or a new address)."""
    return _confirmation(CONFIRMATION_KIND, email)


@email_kind(ALREADY_EXISTS_KIND, label="Sign-up attempt on an existing account", keep_body=True)
def account_already_exists_render(email: OutboundEmail):
    """Someone tried to sign up with an address that already has an account."""
    return _render(ALREADY_EXISTS_KIND, email, {})


# --- E-mail change (accounts.email_change) --------------------------------------------------


def _email_change(email: OutboundEmail):
    from .models import EmailChange

    return (
        EmailChange.objects.select_related("account__user")
        .filter(pk=(email.context or {}).get("email_change_id"))
        .first()
    )


@email_kind("accounts.email_change_confirm", label="E-mail change: link to the new address")
def email_change_confirm_render(email: OutboundEmail):
    """The link to the new address; nothing is sent when the address already has an account."""
    from .email_change import CONFIRM, email_change_confirmable, email_change_token
    from .models import User

    change = _email_change(email)
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


@email_kind("accounts.email_changed_notice", label="E-mail change: notice with undo link to the old address")
def email_changed_notice_render(email: OutboundEmail):
    """The notice to the old address, with the "this wasn't me" link that undoes the change."""
    from .email_change import UNDO, email_change_token, email_change_undoable

    change = _email_change(email)
    if change is None or not email_change_undoable(change):
        return None
    path = reverse("accounts:email_undo_token", args=[email_change_token(change=change, purpose=UNDO)])
    rendered = email_render(
        "accounts/email/email_changed_notice",
        {"change": change, "link": settings.SITE_URL + path, "undo_days": settings.EMAIL_CHANGE_UNDO_DAYS},
    )
    return email_message(to=change.old_email, rendered=rendered)


# --- Second factors (accounts.second_factors) ---------------------------------------------


@email_kind(
    EMAIL_SECOND_FACTOR_CHANGED,
    label="Second factor added, removed or recovery codes renewed",
    keep_body=True,
)
def second_factor_changed_render(email: OutboundEmail):
    """Tells the owner a second factor changed: which kind, never its secret."""
    context = email.context or {}
    rendered = email_render(
        "accounts/email/second_factor_changed",
        {
            "action": context.get("action"),
            "label": context.get("label") or "A second factor",
            "factor": context.get("factor"),
            "account_link": settings.SITE_URL + reverse("accounts:home"),
            "security_link": settings.SITE_URL + reverse("mfa_index"),
        },
    )
    return email_message(to=email.to, rendered=rendered)


# --- Closing the account (accounts.services.account_close) ----------------------------------


@email_kind(ACCOUNT_CLOSED_KIND, label="Account closed: receipt", keep_body=True)
def account_closed_render(email: OutboundEmail):
    """The receipt of a closure, to the account's address: when, by whom, what stays, what to do."""
    from .models import Account

    account = (
        Account.objects.select_related("user", "license")
        .filter(pk=(email.context or {}).get("account_id"), closed_at__isnull=False)
        .first()
    )
    if account is None:
        return None
    rendered = email_render(
        "accounts/email/account_closed",
        {
            "account": account,
            "license": account.license,
            "contact_url": settings.SITE_URL + reverse("help:ticket_new"),
        },
    )
    return email_message(to=account.user.email, rendered=rendered)
