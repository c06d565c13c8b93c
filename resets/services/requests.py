"""Reset requests: asking, recording, e-mailing, opening, cancelling, expiring.

See the package docstring for why the web request only writes an outbox row.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Account, SecurityEvent, User
from accounts.services import security_event_record
from core.addresses import email_normalise
from core.origin import Origin
from mailer.models import OutboundEmail
from mailer.services import email_queue

from ..models import ResetRequest, ResetRequestEvent
from ..selectors import (
    credential_stamp_of,
    reset_account_for_email,
    reset_request_by_cancel_token_hash,
    reset_request_by_token_hash,
)
from ..tokens import CANCEL, RESET, default_token_generator

REQUEST_KIND = "resets:reset_request"
LINK_KIND = "resets:reset_link"
HINT_KIND = "resets:password_hint"
COMPLETED_KIND = "resets:reset_completed"


class ResetLinkInvalid(Exception):
    """The link is unknown, used, cancelled, superseded, expired or outdated by a password change."""


def reset_event_record(
    *,
    reset_request: ResetRequest,
    state: str,
    origin: Origin | None = None,
    actor: User | None = None,
    details: dict | None = None,
    at: datetime | None = None,
) -> ResetRequestEvent:
    """Append one state change to the request's audit trail (what support reads)."""
    return ResetRequestEvent.objects.create(
        reset_request=reset_request,
        state=state,
        created_at=at or timezone.now(),
        actor=actor,
        details=details or {},
        **ResetRequestEvent.origin_columns(origin),
    )


def _state_move(*, reset_request: ResetRequest, from_states, to_state: str, **fields) -> bool:
    """Move the request to `to_state` only if it is still in `from_states` (one conditional UPDATE)."""
    updated = ResetRequest.objects.filter(pk=reset_request.pk, state__in=list(from_states)).update(
        state=to_state, **fields
    )
    if updated:
        reset_request.state = to_state
        for name, value in fields.items():
            setattr(reset_request, name, value)
    return bool(updated)


# --- Request (web form, support console) -------------------------------------------------


def reset_request_create(
    *, email: str, origin: Origin | None = None, actor: User | None = None
) -> OutboundEmail:
    """Ask for a reset of the account of `email`, if there is one: the same work either way.

    Writes one outbox row; the worker records the request and sends the link (or sends
    nothing for an unknown address). A newer request supersedes older pending ones.
    """
    return email_queue(
        to=email_normalise(email),
        kind=REQUEST_KIND,
        context={
            "requested_at": timezone.now().isoformat(),
            **(origin or Origin()).to_dict(),
            "actor_id": actor.pk if actor else None,
        },
        created_by=actor,
    )


def password_hint_request(*, email: str, origin: Origin | None = None) -> OutboundEmail:
    """Ask for the password hint of `email` to be e-mailed to it: the same work either way."""
    return email_queue(
        to=email_normalise(email),
        kind=HINT_KIND,
        context={"requested_at": timezone.now().isoformat(), **(origin or Origin()).to_dict()},
    )


def reset_request_record(*, email: OutboundEmail) -> ResetRequest | None:
    """Turn a queued reset request into a `ResetRequest` (worker side, at send time).

    Idempotent per outbox row: a retry finds the request it created before. Returns None
    when the address has no account or a newer request has already been recorded.
    """
    context = email.context or {}
    if context.get("reset_request_id"):
        return (
            ResetRequest.objects.select_related("account__user")
            .filter(pk=context["reset_request_id"])
            .first()
        )
    found = reset_account_for_email(email.to)
    if found is None:
        return None
    requested_at = parse_datetime(context.get("requested_at") or "") or timezone.now()
    actor = User.objects.filter(pk=context.get("actor_id")).first() if context.get("actor_id") else None
    origin = Origin.from_dict(context)
    with transaction.atomic():
        account = Account.objects.select_for_update().select_related("user").get(pk=found.pk)
        pending = ResetRequest.objects.filter(account=account, state__in=ResetRequest.PENDING_STATES)
        if pending.filter(created_at__gt=requested_at).exists():
            return None
        nonce = default_token_generator.nonce_new()
        token = default_token_generator.token_make(purpose=RESET, account_pk=account.pk, nonce=nonce)
        cancel = default_token_generator.token_make(purpose=CANCEL, account_pk=account.pk, nonce=nonce)
        reset_request = ResetRequest.objects.create(
            account=account,
            nonce=nonce,
            token_hash=default_token_generator.token_hash(token),
            cancel_token_hash=default_token_generator.token_hash(cancel),
            created_at=requested_at,
            expires_at=default_token_generator.expires_at(),
            ip=origin.ip,
            user_agent=origin.user_agent,
            credential_stamp=credential_stamp_of(account),
        )
        for older in pending.exclude(pk=reset_request.pk):
            if _state_move(
                reset_request=older,
                from_states=ResetRequest.PENDING_STATES,
                to_state=ResetRequest.State.SUPERSEDED,
                finished_at=timezone.now(),
            ):
                reset_event_record(
                    reset_request=older,
                    state=ResetRequest.State.SUPERSEDED,
                    details={"superseded_by": reset_request.pk},
                )
        reset_event_record(
            reset_request=reset_request,
            state=ResetRequest.State.REQUESTED,
            origin=origin,
            actor=actor,
            at=requested_at,
        )
        security_event_record(
            account=account,
            type=SecurityEvent.Type.RESET_REQUESTED,
            origin=origin,
            details={"reset_request": reset_request.pk, **({"by_support": actor.email} if actor else {})},
        )
        email.context = {**context, "reset_request_id": reset_request.pk}
        email.account = account
        email.to = account.user.email
        email.save(update_fields=["context", "account", "to", "updated_at"])
    return reset_request


def reset_request_usable(reset_request: ResetRequest) -> bool:
    """Return True if the request's links still work (pending, not expired, credentials unchanged)."""
    if reset_request.state not in ResetRequest.PENDING_STATES:
        return False
    if default_token_generator.is_expired(reset_request.expires_at):
        return False
    return reset_request.credential_stamp == credential_stamp_of(reset_request.account)


def reset_request_emailed(
    *, reset_request: ResetRequest, actor: User | None = None, resend: bool = False
) -> None:
    """Record that the worker is handing the link e-mail to the mail server."""
    moved = _state_move(
        reset_request=reset_request,
        from_states=[ResetRequest.State.REQUESTED],
        to_state=ResetRequest.State.EMAILED,
        emailed_at=timezone.now(),
    )
    if moved or resend:
        reset_event_record(
            reset_request=reset_request,
            state=ResetRequest.State.EMAILED,
            actor=actor,
            details={"resend": True} if resend else {},
        )


def reset_request_resend(*, reset_request: ResetRequest, actor: User) -> OutboundEmail | None:
    """Re-send a pending request's link to the account's own address (support console).

    The worker re-derives the same link; returns None if the request is no longer pending.
    """
    account = reset_request.account
    if not reset_request_usable(reset_request):
        return None
    return email_queue(
        to=account.user.email,
        kind=LINK_KIND,
        account=account,
        context={"reset_request_id": reset_request.pk, "actor_id": actor.pk if actor else None},
        created_by=actor,
    )


# --- Links ----------------------------------------------------------------------------


def reset_request_for_token(*, token: str, purpose: str = RESET) -> ResetRequest | None:
    """Return the request a link token belongs to, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    token_hash = default_token_generator.token_hash(token)
    lookup = reset_request_by_token_hash if purpose == RESET else reset_request_by_cancel_token_hash
    reset_request = lookup(token_hash)
    if reset_request is None:
        return None
    if not default_token_generator.token_check(
        token=token, purpose=purpose, account_pk=reset_request.account_id, nonce=reset_request.nonce
    ):
        return None
    return reset_request


def reset_request_open(*, reset_request: ResetRequest, origin: Origin | None = None) -> None:
    """Record the first opening of the reset link."""
    if _state_move(
        reset_request=reset_request,
        from_states=[ResetRequest.State.REQUESTED, ResetRequest.State.EMAILED],
        to_state=ResetRequest.State.OPENED,
        opened_at=timezone.now(),
    ):
        reset_event_record(reset_request=reset_request, state=ResetRequest.State.OPENED, origin=origin)


@transaction.atomic
def reset_cancel(
    *, reset_request: ResetRequest, origin: Origin | None = None, via: str, actor: User | None = None
) -> bool:
    """Cancel a pending request ("this wasn't me" link, the app, support); False if not pending."""
    # Lock order everywhere: account row, then reset request rows (no deadlock with recording).
    Account.objects.select_for_update().filter(pk=reset_request.account_id).first()
    if not _state_move(
        reset_request=reset_request,
        from_states=ResetRequest.PENDING_STATES,
        to_state=ResetRequest.State.CANCELLED,
        finished_at=timezone.now(),
    ):
        return False
    reset_event_record(
        reset_request=reset_request,
        state=ResetRequest.State.CANCELLED,
        origin=origin,
        actor=actor,
        details={"via": via},
    )
    security_event_record(
        account=reset_request.account,
        type=SecurityEvent.Type.RESET_CANCELLED,
        origin=origin,
        details={"reset_request": reset_request.pk, "via": via},
    )
    return True


@transaction.atomic
def reset_backup_record(*, reset_request: ResetRequest, item_count: int, origin: Origin | None = None):
    """Audit the download of the encrypted vault backup from the reset link page."""
    ResetRequest.objects.filter(pk=reset_request.pk).update(backup_downloaded_at=timezone.now())
    security_event_record(
        account=reset_request.account,
        type=SecurityEvent.Type.BACKUP_DOWNLOADED,
        origin=origin,
        details={
            "reset_request": reset_request.pk,
            "generation": reset_request.account.key_generation,
            "items": item_count,
        },
    )


# --- Housekeeping (beat) ----------------------------------------------------------------


def reset_requests_expire(*, now: datetime | None = None) -> int:
    """Mark every pending request whose link has expired as expired, with its event row."""
    now = now or default_token_generator._now()
    stale = ResetRequest.objects.filter(state__in=ResetRequest.PENDING_STATES, expires_at__lte=now)
    expired = 0
    for reset_request in stale.only("pk", "state")[:1000]:
        with transaction.atomic():
            if _state_move(
                reset_request=reset_request,
                from_states=ResetRequest.PENDING_STATES,
                to_state=ResetRequest.State.EXPIRED,
                finished_at=now,
            ):
                reset_event_record(reset_request=reset_request, state=ResetRequest.State.EXPIRED, at=now)
                expired += 1
    return expired
