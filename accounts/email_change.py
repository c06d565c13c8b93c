"""Changing the account's one e-mail address: ask (re-authenticated), confirm, undo.

* `email_change_request` (signed in, the Account Password proven): records the change and
  queues the confirmation e-mail to the new address. The same work whether or not the new
  address is free; the worker sends nothing to a taken one (`accounts.emails`).
* `email_change_confirm` (the link in that e-mail): the address changes, every other
  address row goes, the old address gets a notice with a "this wasn't me" link.
* `email_change_undo` (that link, for `EMAIL_CHANGE_UNDO_DAYS`): the old address comes back,
  every web session ends, the devices signed in since the change are signed out and pending
  resets are cancelled.

Tokens are like the reset links' (`resets/tokens.py`): an HMAC of purpose, account and a
random nonce under SECRET_KEY, rebuilt at send time; only their SHA-256 is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from core.origin import Origin
from mailer.services import email_queue

from .models import Account, Device, EmailChange, SecurityEvent, User
from .selectors import email_key
from .services import security_event_record, user_sessions_end

CONFIRM = "confirm"
UNDO = "undo"
# The e-mail kinds (declared, with their renderers, in accounts/emails.py).
CONFIRM_KIND = "accounts.email_change_confirm"
NOTICE_KIND = "accounts.email_changed_notice"
_KEY_SALT = "accounts.email_change"


# Sent inside the change's transaction when the account's address changed (confirmed or undone).
# resets cancels the pending reset requests (their links went to the other address).
email_address_changed = Signal()


class EmailChangeInvalid(Exception):
    """The link is unknown, used, superseded or expired, or the address is no longer free."""

    def __init__(self, reason: str = "invalid"):
        super().__init__(reason)
        self.reason = reason


def email_change_token(*, change: EmailChange, purpose: str) -> str:
    """The link token of `change` for `purpose` (confirm or undo), rebuilt from its nonce."""
    value = f"{purpose}:{change.account_id}:{change.nonce}"
    return salted_hmac(_KEY_SALT, value, algorithm="sha256").hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address_taken(email: str, *, user: User) -> bool:
    return User.objects.filter(email=email).exclude(pk=user.pk).exists()


@transaction.atomic
def email_change_request(*, account: Account, new_email: str, origin: Origin | None = None) -> EmailChange:
    """Record a change to `new_email` and queue its confirmation link (the caller checked the
    password). A newer request supersedes older pending ones."""
    new_email = email_key(new_email)
    now = timezone.now()
    EmailChange.objects.filter(account=account, state=EmailChange.State.PENDING).update(
        state=EmailChange.State.SUPERSEDED
    )
    change = EmailChange(
        account=account,
        old_email=account.user.email,
        new_email=new_email,
        nonce=secrets.token_hex(32),
        expires_at=now + timedelta(minutes=settings.EMAIL_CHANGE_LINK_TTL_MINUTES),
        ip=origin.ip if origin is not None else None,
    )
    change.confirm_token_hash = _hash(email_change_token(change=change, purpose=CONFIRM))
    change.undo_token_hash = _hash(email_change_token(change=change, purpose=UNDO))
    change.save()
    security_event_record(
        account=account,
        type=SecurityEvent.Type.EMAIL_CHANGE_REQUESTED,
        origin=origin,
        details={"email_change": change.pk, "new_email": new_email},
    )
    email_queue(to=new_email, kind=CONFIRM_KIND, account=account, context={"email_change_id": change.pk})
    return change


@sensitive_variables("token")
def email_change_for_token(*, token: str, purpose: str) -> EmailChange | None:
    """Return the change a confirm or undo token belongs to, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    field = "confirm_token_hash" if purpose == CONFIRM else "undo_token_hash"
    return EmailChange.objects.select_related("account__user").filter(**{field: _hash(token)}).first()


def email_change_confirmable(change: EmailChange) -> bool:
    return change.state == EmailChange.State.PENDING and change.expires_at > timezone.now()


def email_change_undoable(change: EmailChange) -> bool:
    return (
        change.state == EmailChange.State.CONFIRMED
        and change.undo_until is not None
        and change.undo_until > timezone.now()
    )


def _address_set(user: User, email: str) -> None:
    """Make `email` the account's one, verified address (no other address row stays)."""
    user.email = email
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)


def _pending_resets_cancel(account: Account, *, via: str, origin: Origin | None) -> int:
    """Ask the apps above (resets) to cancel what was sent to the old address; return how many."""
    responses = email_address_changed.send(sender=EmailChange, account=account, via=via, origin=origin)
    return sum(response or 0 for _, response in responses)


@sensitive_variables("token")
def _change_lock(*, token: str, purpose: str) -> tuple[Account, EmailChange, User]:
    """Lock the account, the change `token` opens for `purpose` and the user, in that order;
    raise `EmailChangeInvalid` for an unknown token."""
    found = email_change_for_token(token=token, purpose=purpose)
    if found is None:
        raise EmailChangeInvalid
    account = Account.objects.select_for_update().get(pk=found.account_id)
    change = EmailChange.objects.select_for_update().get(pk=found.pk)
    user = User.objects.select_for_update().get(pk=account.user_id)
    return account, change, user


@transaction.atomic
@sensitive_variables("token")
def email_change_confirm(*, token: str, origin: Origin | None = None) -> EmailChange:
    """Change the address to the confirmed new one; notify the old address with an undo link."""
    account, change, user = _change_lock(token=token, purpose=CONFIRM)
    if not email_change_confirmable(change) or account.closed_at is not None or not user.is_active:
        raise EmailChangeInvalid
    if _address_taken(change.new_email, user=user):
        raise EmailChangeInvalid("taken")
    now = timezone.now()
    change.old_email = user.email
    change.state = EmailChange.State.CONFIRMED
    change.confirmed_at = now
    change.undo_until = now + timedelta(days=settings.EMAIL_CHANGE_UNDO_DAYS)
    change.save(update_fields=["old_email", "state", "confirmed_at", "undo_until"])
    _address_set(user, change.new_email)
    _pending_resets_cancel(account, via="email_changed", origin=origin)
    security_event_record(
        account=account,
        type=SecurityEvent.Type.EMAIL_CHANGED,
        origin=origin,
        details={"email_change": change.pk, "old_email": change.old_email, "new_email": change.new_email},
    )
    email_queue(
        to=change.old_email, kind=NOTICE_KIND, account=account, context={"email_change_id": change.pk}
    )
    return change


@transaction.atomic
@sensitive_variables("token")
def email_change_undo(*, token: str, origin: Origin | None = None) -> EmailChange:
    """Put the old address back, end every session and cancel what the change made possible."""
    account, change, user = _change_lock(token=token, purpose=UNDO)
    if not email_change_undoable(change):
        raise EmailChangeInvalid
    if _address_taken(change.old_email, user=user):
        raise EmailChangeInvalid("taken")
    now = timezone.now()
    # This change and every later one (an attacker may have moved the address on again).
    later = EmailChange.objects.filter(account=account, created_at__gte=change.created_at).exclude(
        state=EmailChange.State.UNDONE
    )
    later.update(state=EmailChange.State.UNDONE, undone_at=now)
    change.state, change.undone_at = EmailChange.State.UNDONE, now
    _address_set(user, change.old_email)
    sessions = user_sessions_end(user=user)
    devices = Device.objects.filter(
        account_id=account.pk, revoked_at__isnull=True, created_at__gte=change.created_at
    ).update(revoked_at=now, revoked_reason=Device.RevokedReason.EMAIL_CHANGE_UNDONE)
    resets = _pending_resets_cancel(account, via="email_change_undone", origin=origin)
    security_event_record(
        account=account,
        type=SecurityEvent.Type.EMAIL_CHANGE_UNDONE,
        origin=origin,
        details={
            "email_change": change.pk,
            "restored_email": change.old_email,
            "sessions": sessions,
            "devices": devices,
            "resets_cancelled": resets,
        },
    )
    return change
