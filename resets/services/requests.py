"""Reset requests: asking, recording and e-mailing (the link's later life is in `links`).

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
)
from ..tokens import CANCEL, RESET, default_token_generator

# The e-mail kinds of this app (declared, with their renderers, in resets/emails.py).
REQUEST_KIND = "resets.reset_request"
LINK_KIND = "resets.reset_link"
HINT_KIND = "resets.password_hint"
COMPLETED_KIND = "resets.reset_completed"


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
    *,
    email: str,
    origin: Origin | None = None,
    actor: User | None = None,
    ticket_number: str | None = None,
) -> OutboundEmail:
    """Ask for a reset of the account of `email`, if there is one: the same work either way.

    Writes one outbox row; the worker records the request and sends the link (or sends
    nothing for an unknown address). A newer request supersedes older pending ones.
    `actor` and `ticket_number` say that support sent it (the cancel page tells the owner).
    """
    return email_queue(
        to=email_normalise(email),
        kind=REQUEST_KIND,
        context={
            "requested_at": timezone.now().isoformat(),
            **(origin or Origin()).to_dict(),
            "actor_id": actor.pk if actor else None,
            **_support_ticket(ticket_number),
        },
        created_by=actor,
    )


def _support_ticket(ticket_number: str | None) -> dict:
    return {"support_ticket": ticket_number} if ticket_number else {}


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
        support_ticket = {"ticket": context["support_ticket"]} if context.get("support_ticket") else {}
        reset_event_record(
            reset_request=reset_request,
            state=ResetRequest.State.REQUESTED,
            origin=origin,
            actor=actor,
            at=requested_at,
            details=support_ticket,
        )
        security_event_record(
            account=account,
            type=SecurityEvent.Type.RESET_REQUESTED,
            origin=origin,
            details={
                "reset_request": reset_request.pk,
                **({"by_support": actor.email, **support_ticket} if actor else {}),
            },
        )
        email.context = {**context, "reset_request_id": reset_request.pk}
        email.account = account
        email.to = account.user.email
        email.save(update_fields=["context", "account", "to", "updated_at"])
    return reset_request


def reset_request_usable(reset_request: ResetRequest) -> bool:
    """Return True if the request's links still work (pending, not expired, credentials unchanged,
    account open and its user active: a closed account accepts no reset)."""
    if reset_request.state not in ResetRequest.PENDING_STATES:
        return False
    account = reset_request.account
    if account.closed_at is not None or not account.user.is_active:
        return False
    if default_token_generator.is_expired(reset_request.expires_at):
        return False
    return reset_request.credential_stamp == credential_stamp_of(reset_request.account)


def reset_request_emailed(
    *,
    reset_request: ResetRequest,
    actor: User | None = None,
    resend: bool = False,
    ticket_number: str | None = None,
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
            details={
                **({"resend": True} if resend else {}),
                **({"ticket": ticket_number} if ticket_number else {}),
            },
        )


# --- Worker side of the reset e-mails (the hooks their kinds declare in resets/emails.py) ---


def reset_request_prepare(email: OutboundEmail) -> bool:
    """Before the link e-mail of a web-form request is rendered: record the request.

    False (nothing is sent) for an unknown address or a request already superseded.
    """
    return reset_request_record(email=email) is not None


def _reset_request_of(email: OutboundEmail) -> ResetRequest | None:
    reset_request_id = (email.context or {}).get("reset_request_id")
    if not reset_request_id:
        return None
    return ResetRequest.objects.select_related("account__user").filter(pk=reset_request_id).first()


def reset_link_emailed(email: OutboundEmail, *, resend: bool = False) -> None:
    """After the mail server accepted a link e-mail: the request is "emailed"."""
    reset_request = _reset_request_of(email)
    if reset_request is None:
        return
    context = email.context or {}
    actor = User.objects.filter(pk=context["actor_id"]).first() if context.get("actor_id") else None
    reset_request_emailed(
        reset_request=reset_request, actor=actor, resend=resend, ticket_number=context.get("support_ticket")
    )


def reset_link_resent(email: OutboundEmail) -> None:
    """After the mail server accepted a support re-send of the link."""
    reset_link_emailed(email, resend=True)


def password_hint_prepare(email: OutboundEmail) -> bool:
    """Before the hint e-mail is rendered: address it to the account, if there is one."""
    account = reset_account_for_email(email.to)
    if account is None:
        return False
    email.account = account
    email.to = account.user.email
    email.save(update_fields=["account", "to", "updated_at"])
    return True


def password_hint_sent(email: OutboundEmail) -> None:
    """After the mail server accepted the hint e-mail: the account's security history says so."""
    context = email.context or {}
    security_event_record(
        account=email.account,
        type=SecurityEvent.Type.HINT_SENT,
        origin=Origin.from_dict(context),
    )


def reset_request_resend(
    *, reset_request: ResetRequest, actor: User, ticket_number: str | None = None
) -> OutboundEmail | None:
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
        context={
            "reset_request_id": reset_request.pk,
            "actor_id": actor.pk if actor else None,
            **_support_ticket(ticket_number),
        },
        created_by=actor,
    )
