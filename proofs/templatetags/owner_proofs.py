"""`{% owner_proof_panel kind ref ask_url %}`: the proof box next to a conversation in the console."""

from django import template
from django.conf import settings
from django.urls import reverse

from ..models import OwnerProof
from ..selectors import proof_factor_used, proof_latest

register = template.Library()


@register.inclusion_tag("proofs/_panel.html")
def owner_proof_panel(
    conversation_kind: str, conversation_ref, ask_url: str, can_ask: bool = True, next_url: str = ""
):
    """The latest proof of one conversation, and the button to ask (the server picks the method).

    `next_url`: the console page to come back to after asking (a guarded action's page).

    A pending request shows its comparison code (the customer sees the same one in the app);
    once decided, no code is shown anywhere.
    """
    proof = proof_latest(conversation_kind=conversation_kind, conversation_ref=conversation_ref)
    if proof is not None and proof.status == OwnerProof.Status.PENDING and not proof.is_open:
        proof.status = OwnerProof.Status.EXPIRED  # shown as expired; the beat task writes it
    answer_url = None
    if proof is not None and proof.method != OwnerProof.Method.APP:
        answer_url = settings.SITE_URL + reverse("proofs:answer", args=[proof.public_id])
    factor = proof_factor_used(proof) if proof is not None else None
    return {
        "proof": proof,
        "ask_url": ask_url,
        "can_ask": can_ask,
        "answer_url": answer_url,
        "factor": factor,
        "next_url": next_url,
    }
