"""Asking for a proof: the server picks the method, never the agent; limits; lifetime; the e-mailed code."""

import inspect
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DeviceFactory, totp_enroll
from chat.tests.factories import ChatFactory
from mailer.models import OutboundEmail
from mailer.registry import kinds_transient
from proofs.models import OwnerProof, OwnerProofEvent
from proofs.services import CODE_EMAIL_KIND, ProofError, proof_method_choose, proof_request
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def _ask(account, agent, kind="account", ref=None) -> OwnerProof:
    return proof_request(
        account=account, agent=agent, conversation_kind=kind, conversation_ref=ref or account.account_id
    )


# --- The method: the strongest the account has -------------------------------------------


def test_an_unlocked_app_comes_first_even_with_a_second_factor(app, agent):
    totp_enroll(app.account.user)
    proof = _ask(app.account, agent)
    assert proof.method == OwnerProof.Method.APP and proof.strength == "strong"
    assert len(proof.short_code) == 6 and proof.secret_hash == ""


def test_a_second_factor_comes_before_the_e_mailed_code(no_app_account, agent):
    totp_enroll(no_app_account.user)
    proof = _ask(no_app_account, agent)
    assert proof.method == OwnerProof.Method.SECOND_FACTOR and proof.strength == "strong"
    assert OutboundEmail.objects.filter(kind=CODE_EMAIL_KIND).count() == 0


def test_the_e_mailed_code_is_the_last_resort_and_marked_weakest(no_app_account, agent):
    proof = _ask(no_app_account, agent)
    assert proof.method == OwnerProof.Method.EMAIL and proof.strength == "weak"
    weak = [m for m, strength in OwnerProof.STRENGTH.items() if strength == "weak"]
    assert weak == [OwnerProof.Method.EMAIL]


def test_recovery_codes_alone_are_not_a_second_factor_to_prove_with(no_app_account):
    Authenticator.objects.create(user=no_app_account.user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert proof_method_choose(no_app_account) == OwnerProof.Method.EMAIL


@pytest.mark.parametrize("broken", ["revoked", "unverified", "verifier_obsolete", "old_generation"])
def test_an_app_that_cannot_sign_is_not_offered(app, broken):
    if broken == "revoked":
        app.device.revoked_at = timezone.now()
        app.device.save()
    elif broken == "unverified":
        app.device.authorized_at = None
        app.device.save()
    elif broken == "verifier_obsolete":
        app.account.verifiers.update(obsoleted_at=timezone.now())
    else:  # the account was reset: its verifier is of the previous generation
        app.account.key_generation = 2
        app.account.save()
    assert proof_method_choose(app.account) == OwnerProof.Method.EMAIL


def test_a_second_verified_app_is_enough(app):
    app.device.revoked_at = timezone.now()
    app.device.save()
    DeviceFactory(account=app.account, name="iPad")
    assert proof_method_choose(app.account) == OwnerProof.Method.APP


def test_the_service_takes_no_method_from_anyone():
    assert "method" not in inspect.signature(proof_request).parameters


@pytest.mark.parametrize("place", ["account", "ticket", "chat"])
def test_an_agent_cannot_pick_a_weaker_method_from_the_console(app, agent, console_for, place):
    if place == "account":
        url = reverse("support:account_owner_proof", args=[app.account.account_id])
    elif place == "ticket":
        url = reverse("support:ticket_owner_proof", args=[TicketFactory(account=app.account).pk])
    else:
        chat = ChatFactory(account=app.account, email=app.account.user.email)
        url = reverse("chat_agent:owner_proof", args=[chat.public_id])
    response = console_for(agent).post(url, {"method": "email", "strength": "weak", "kind": "email"})
    assert response.status_code == 302
    proof = OwnerProof.objects.get()
    assert proof.method == OwnerProof.Method.APP and proof.conversation_kind == place
    assert not OutboundEmail.objects.filter(kind=CODE_EMAIL_KIND).exists()


# --- Bound to one conversation and one agent ---------------------------------------------


def test_a_request_is_bound_to_its_agent_and_conversation(app, agent):
    proof = _ask(app.account, agent, "chat", "chat-a")
    assert (proof.agent, proof.conversation_kind, proof.conversation_ref) == (agent, "chat", "chat-a")
    [event] = proof.events.all()
    assert event.action == OwnerProofEvent.Action.REQUESTED and event.actor == agent
    assert event.details == {"method": "app", "conversation": "chat:chat-a"}


def test_a_new_request_supersedes_the_open_one_of_the_same_conversation_only(app, agent):
    first = _ask(app.account, agent, "chat", "chat-a")
    elsewhere = _ask(app.account, agent, "ticket", "7")
    second = _ask(app.account, agent, "chat", "chat-a")
    first.refresh_from_db()
    elsewhere.refresh_from_db()
    assert first.status == OwnerProof.Status.EXPIRED and first.short_code == ""
    assert elsewhere.status == second.status == OwnerProof.Status.PENDING
    assert first.events.last().details == {"superseded": True}


def test_an_unknown_conversation_is_refused(app, agent):
    with pytest.raises(ProofError) as refused:
        _ask(app.account, agent, "phone", "555")
    assert refused.value.code == "invalid"
    assert not OwnerProof.objects.exists()


# --- Rate limits --------------------------------------------------------------------------


def test_an_agent_is_limited_across_accounts(app, no_app_account, agent, other_agent, settings):
    from accounts.tests.factories import AccountFactory

    settings.OWNER_PROOF_RATE_PER_AGENT = "2/h"
    _ask(app.account, agent)
    _ask(no_app_account, agent)
    third = AccountFactory()
    with pytest.raises(ProofError) as limited:
        _ask(third, agent)
    assert (limited.value.code, limited.value.status_code) == ("rate_limited", 429)
    assert not OwnerProof.objects.filter(account=third).exists()
    assert _ask(third, other_agent).status == OwnerProof.Status.PENDING  # another agent still can


def test_an_account_is_limited_whoever_asks(app, agent, other_agent, settings):
    from proofs.tests.factories import staff

    settings.OWNER_PROOF_RATE_PER_ACCOUNT = "2/h"
    _ask(app.account, agent, "chat", "a")
    _ask(app.account, other_agent, "chat", "b")
    with pytest.raises(ProofError) as limited:
        _ask(app.account, staff("third@staff.example"), "chat", "c")
    assert limited.value.code == "rate_limited"
    assert OwnerProof.objects.filter(account=app.account).count() == 2


def test_the_console_says_when_the_limit_is_reached(app, agent, console_for, settings):
    settings.OWNER_PROOF_RATE_PER_ACCOUNT = "1/h"
    client = console_for(agent)
    url = reverse("support:account_owner_proof", args=[app.account.account_id])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "Too many proof requests" in page
    assert OwnerProof.objects.count() == 1


# --- Lifetime -----------------------------------------------------------------------------


def test_the_lifetime_is_a_setting(app, agent, settings):
    settings.OWNER_PROOF_TTL_SECONDS = 90
    before = timezone.now()
    proof = _ask(app.account, agent)
    assert before + timedelta(seconds=89) <= proof.expires_at <= timezone.now() + timedelta(seconds=90)


def test_the_default_lifetime_is_ten_minutes():
    from portal.settings import proofs

    assert proofs.OWNER_PROOF_TTL_SECONDS == 600


# --- The e-mailed code --------------------------------------------------------------------


def test_the_e_mailed_code_goes_to_the_accounts_own_address_and_is_kept_only_as_an_hmac(
    no_app_account, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proof = _ask(no_app_account, agent)
    [message] = mail.outbox
    assert message.to == [no_app_account.user.email]
    code = message.body.split("Your code: ")[1][:8]
    assert code.isdigit()
    row = OutboundEmail.objects.get(kind=CODE_EMAIL_KIND)
    assert code not in repr((row.context, row.subject, row.text_body, row.html_body))
    assert CODE_EMAIL_KIND in kinds_transient()  # the outbox flush can never send it from a stored copy
    proof.refresh_from_db()
    assert code not in proof.secret_hash and len(proof.secret_hash) == 64
    assert list(proof.events.values_list("action", flat=True)) == ["requested", "code_sent"]


def test_the_e_mail_says_how_long_the_code_lasts(
    no_app_account, agent, settings, django_capture_on_commit_callbacks
):
    settings.OWNER_PROOF_TTL_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        _ask(no_app_account, agent)
    [message] = mail.outbox
    assert "expires in 5 minutes" in message.body
