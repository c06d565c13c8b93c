"""The guard of actions that need a proof: same agent, same conversation, approved, recent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proofs.models import OwnerProof
from proofs.selectors import proof_required_actions, proof_valid_for
from proofs.services import ConversationRef, ProofError, proof_guard, proof_request

from .factories import proof_approved

pytestmark = pytest.mark.django_db

CHAT_A = ConversationRef.of("chat", "chat-a")
CHAT_B = ConversationRef.of("chat", "chat-b")
TICKET_B = ConversationRef.of("ticket", 2)


@pytest.fixture
def required(settings):
    settings.OWNER_PROOF_REQUIRED_FOR = {"reset_email": True, "licence_change": True, "account_close": False}
    return settings


def _guard(app, agent, *places, action="reset_email"):
    return proof_guard(action=action, account=app.account, agent=agent, conversations=list(places))


def test_the_proof_of_this_conversation_by_this_agent_covers_the_action(app, agent, required):
    proof = proof_approved(app=app, agent=agent, kind="chat", ref="chat-a")
    assert _guard(app, agent, CHAT_A) == proof


@pytest.mark.parametrize("elsewhere", [CHAT_B, TICKET_B, ConversationRef.of("account", "X")])
def test_a_proof_asked_in_another_conversation_does_not(app, agent, required, elsewhere):
    proof_approved(app=app, agent=agent, kind="chat", ref="chat-a")
    with pytest.raises(ProofError) as refused:
        _guard(app, agent, elsewhere)
    assert (refused.value.code, refused.value.status_code) == ("proof_required", 403)


def test_a_proof_asked_by_another_agent_does_not(app, agent, other_agent, required):
    proof_approved(app=app, agent=other_agent, kind="chat", ref="chat-a")
    with pytest.raises(ProofError):
        _guard(app, agent, CHAT_A)


def test_a_proof_of_another_account_does_not(app, agent, required):
    from accounts.tests.factories import AccountFactory

    from .factories import app_for

    stranger = app_for(AccountFactory())
    proof_approved(app=stranger, agent=agent, kind="chat", ref="chat-a")
    with pytest.raises(ProofError):
        _guard(app, agent, CHAT_A)


@pytest.mark.parametrize("status", ["pending", "refused", "expired", "failed"])
def test_only_an_approved_proof_counts(app, agent, required, status):
    proof = proof_request(
        account=app.account, agent=agent, conversation_kind="chat", conversation_ref="chat-a"
    )
    OwnerProof.objects.filter(pk=proof.pk).update(status=status, decided_at=timezone.now())
    with pytest.raises(ProofError):
        _guard(app, agent, CHAT_A)


def test_an_approval_covers_actions_for_a_while_only(app, agent, required):
    proof = proof_approved(app=app, agent=agent, kind="chat", ref="chat-a")
    valid = required.OWNER_PROOF_VALID_SECONDS
    OwnerProof.objects.filter(pk=proof.pk).update(decided_at=timezone.now() - timedelta(seconds=valid - 5))
    assert _guard(app, agent, CHAT_A) == proof
    OwnerProof.objects.filter(pk=proof.pk).update(decided_at=timezone.now() - timedelta(seconds=valid + 1))
    with pytest.raises(ProofError):
        _guard(app, agent, CHAT_A)


def test_an_action_whose_setting_is_off_needs_nothing(app, agent, required):
    assert _guard(app, agent, CHAT_A, action="account_close") is None
    assert proof_required_actions() == {"reset_email", "licence_change"}


def test_an_action_the_settings_do_not_name_is_a_mistake(app, agent, required):
    with pytest.raises(KeyError):
        _guard(app, agent, CHAT_A, action="delete_everything")


def test_no_conversation_no_proof(app, agent):
    proof_approved(app=app, agent=agent, kind="chat", ref="chat-a")
    assert proof_valid_for(account=app.account, agent=agent, conversations=[]) is None


def test_every_guarded_action_is_off_by_default():
    from portal.settings import proofs

    assert proofs.OWNER_PROOF_REQUIRED_FOR == {
        "reset_email": False,
        "licence_change": False,
        "account_close": False,
    }
