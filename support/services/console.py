"""Console actions on an account, each audited twice (support trail and the customer's history).

Nothing here reads or writes a password, a hint, a key, a verifier, a device token or vault
data; a reset e-mail goes to the account's own address only. The actions that matter (a reset
e-mail, a licence change, closing) first ask `proofs.services.proof_guard` whether the settings
require an owner proof, and refuse with its `ProofError` when the agent has no approved one for
the conversation the action is done in.
"""

from datetime import datetime

from django.db import transaction

from accounts.models import Account, License, User
from accounts.services import account_close as accounts_account_close
from accounts.services import license_history_record, user_sessions_end
from core.origin import Origin
from proofs.services import ConversationRef, proof_guard
from resets.selectors import reset_request_pending
from resets.services import reset_request_create, reset_request_resend

from ..models import SupportAuditEvent, Ticket
from .audit import support_audit_record


def _proof_check(
    action: str, *, account: Account, actor: User, ticket: Ticket | None, conversation: ConversationRef | None
) -> dict:
    """Refuse `action` without the owner proof its setting asks for; the audit details naming the proof.

    From the console's account page the proof must be asked on that page, or in the ticket the
    action names; a chat passes its own `conversation`.
    """
    if conversation is not None:
        places = [conversation]
    else:
        places = [ConversationRef.of("account", account.account_id)]
        if ticket is not None:
            places.append(ConversationRef.of("ticket", ticket.pk))
    proof = proof_guard(action=action, account=account, agent=actor, conversations=places)
    return {"owner_proof": str(proof.public_id)} if proof is not None else {}


@transaction.atomic
def account_reset_email_send(
    *,
    account: Account,
    actor: User,
    reason: str,
    ticket: Ticket | None = None,
    conversation: ConversationRef | None = None,
    origin: Origin | None = None,
) -> str:
    """Re-send the pending reset e-mail, or start a reset, always to the account's own address.

    There is deliberately no address parameter: the target is `account.user.email`. The
    agent's reason stays in the support trail; the ticket number is also shown to the
    customer ("Vault support sent your reset e-mail (ticket T-000123)").
    `conversation` is where the customer asked when it is not the account page (a chat).
    Raise `ProofError` when `OWNER_PROOF_REQUIRED_FOR["reset_email"]` asks for a proof and there
    is none. Return the audit action taken (RESET_EMAIL_RESENT or RESET_STARTED).
    """
    proven = _proof_check(
        "reset_email", account=account, actor=actor, ticket=ticket, conversation=conversation
    )
    ticket_number = ticket.number if ticket else None
    pending = reset_request_pending(account)
    if pending is not None and (
        reset_request_resend(reset_request=pending, actor=actor, ticket_number=ticket_number) is not None
    ):
        action, details = SupportAuditEvent.Action.RESET_EMAIL_RESENT, {"reset_request": pending.pk}
    else:
        reset_request_create(
            email=account.user.email, origin=origin, actor=actor, ticket_number=ticket_number
        )
        action, details = SupportAuditEvent.Action.RESET_STARTED, {}
    support_audit_record(
        actor=actor,
        action=action,
        account=account,
        ticket=ticket,
        details={
            **details,
            "reason": reason,
            **({"ticket": ticket_number} if ticket_number else {}),
            **({"conversation": f"{conversation.kind}:{conversation.ref}"} if conversation else {}),
            **proven,
        },
        origin=origin,
    )
    return action


@transaction.atomic
def account_sessions_end(*, account: Account, actor: User, origin: Origin | None = None) -> int:
    """Sign the owner out of every web session (app devices stay signed in)."""
    count = user_sessions_end(user=account.user)
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.SESSIONS_ENDED,
        account=account,
        details={"sessions": count},
        origin=origin,
    )
    return count


@transaction.atomic
def license_change(
    *,
    account: Account,
    actor: User,
    plan: str,
    status: str,
    seats: int,
    expires_at: datetime | None,
    reason: str,
    conversation: ConversationRef | None = None,
    origin: Origin | None = None,
) -> License:
    """Change the licence (supervisors only, checked by the view) and write its history.

    Raise `ProofError` when `OWNER_PROOF_REQUIRED_FOR["licence_change"]` asks for an owner proof
    and the supervisor has none for this account page (or `conversation`).
    """
    proven = _proof_check(
        "licence_change", account=account, actor=actor, ticket=None, conversation=conversation
    )
    license = License.objects.select_for_update().get(account=account)
    before = {"plan": license.plan, "status": license.status, "seats": license.seats}
    license.plan, license.status, license.seats, license.expires_at = plan, status, seats, expires_at
    license.save()
    license_history_record(license=license, changed_by=actor, reason=reason)
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.LICENSE_CHANGED,
        account=account,
        details={
            "before": before,
            "after": {"plan": plan, "status": status, "seats": seats},
            "expires_at": expires_at.isoformat() if expires_at else None,
            "reason": reason,
            **proven,
        },
        origin=origin,
    )
    return license


@transaction.atomic
def account_close(
    *,
    account: Account,
    actor: User,
    reason: str,
    conversation: ConversationRef | None = None,
    origin: Origin | None = None,
) -> None:
    """Close the account for its owner (accounts' one closing service), and audit it on the console trail.

    Raise `ProofError` when `OWNER_PROOF_REQUIRED_FOR["account_close"]` asks for an owner proof and
    the supervisor has none for this account page (or `conversation`).
    """
    proven = _proof_check(
        "account_close", account=account, actor=actor, ticket=None, conversation=conversation
    )
    ended = accounts_account_close(account=account, closed_by=actor, reason=reason, origin=origin)
    if ended is None:
        return
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.ACCOUNT_CLOSED,
        account=account,
        details={"reason": reason, **ended, **proven},
        origin=origin,
        customer_visible=False,  # the account's history has accounts' own "Account closed" event
    )
