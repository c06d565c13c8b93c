"""Guarding: actions that matter can require an approved proof first (a setting per action).

`OWNER_PROOF_REQUIRED_FOR` names the actions: "reset_email" (re-send a reset e-mail, from the
console's account page or from a chat), "licence_change" and "account_close" (on the customer's
request). When the setting is on, the service doing the action calls `proof_guard` before it
writes anything: it needs a proof that the same agent asked in the same conversation, that the
customer approved within `OWNER_PROOF_VALID_SECONDS`.
"""

from typing import NamedTuple

from accounts.models import Account, User

from ..models import OwnerProof
from ..selectors import proof_required, proof_valid_for
from .trail import ProofError

PROOF_REQUIRED = "proof_required"


class ConversationRef(NamedTuple):
    """Where an agent acts: ("chat", public id), ("ticket", pk) or ("account", account ID)."""

    kind: str
    ref: str

    @classmethod
    def of(cls, kind: str, ref) -> "ConversationRef":
        return cls(kind, str(ref))


def proof_guard(
    *, action: str, account: Account, agent: User, conversations: list[ConversationRef]
) -> OwnerProof | None:
    """Refuse `action` when it needs a proof and `agent` has none approved in one of `conversations`.

    Returns the proof that covers the action (its id goes into the action's audit record), or None
    when the setting does not ask for one.
    """
    if not proof_required(action):
        return None
    proof = proof_valid_for(account=account, agent=agent, conversations=conversations)
    if proof is None:
        raise ProofError(
            PROOF_REQUIRED,
            "This action needs an owner proof first: ask the customer to prove it is them "
            "in this conversation, wait until they approve, then try again.",
            403,
        )
    return proof
