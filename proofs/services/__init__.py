"""Every write of owner proofs: ask, answer (app, second factor, e-mailed code), expire.

The server picks the strongest method the account has (`proof_method_choose`); nothing here
takes a method from the agent. Each state change writes an `OwnerProofEvent` (support's trail)
and a decision also writes a customer-visible `SecurityEvent` ("Vault support checked it was
you"). Codes are never logged, never kept in clear after use, never put in an outbox row.

One module per step: `asking` (method, request, expiry), `answering` (app, second factor,
e-mailed code, refusals), `guard` (actions that need a proof first) and `trail` (the error, the
trail writer, deciding a proof).
"""

from .answering import (
    FACTOR_AUTHENTICATOR_APP,
    FACTOR_PASSKEY,
    PROOF_CONTEXT,
    proof_answer_code,
    proof_answer_second_factor,
    proof_approve_app,
    proof_message,
    proof_refuse_app,
    proof_refuse_web,
)
from .asking import (
    CODE_EMAIL_KIND,
    agent_display_name,
    owner_proofs_expire,
    proof_method_choose,
    proof_request,
    second_factor_available,
)
from .guard import PROOF_REQUIRED, ConversationRef, proof_guard
from .trail import ProofError, proof_event_record

__all__ = [
    "CODE_EMAIL_KIND",
    "FACTOR_AUTHENTICATOR_APP",
    "FACTOR_PASSKEY",
    "PROOF_REQUIRED",
    "ConversationRef",
    "PROOF_CONTEXT",
    "ProofError",
    "agent_display_name",
    "owner_proofs_expire",
    "proof_answer_code",
    "proof_answer_second_factor",
    "proof_approve_app",
    "proof_event_record",
    "proof_guard",
    "proof_message",
    "proof_method_choose",
    "proof_refuse_app",
    "proof_refuse_web",
    "proof_request",
    "second_factor_available",
]
