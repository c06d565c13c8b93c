"""Answering: only an unlocked app (or the e-mailed code) approves; refused, failed, expired,
replayed and cross-conversation answers change nothing; the customer sees what happened."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.tests.factories import AccountFactory, DeviceFactory, VerifierFactory
from proofs.models import OwnerProof, OwnerProofEvent
from proofs.services import (
    ProofError,
    owner_proofs_expire,
    proof_answer_code,
    proof_approve_app,
    proof_refuse_app,
    proof_request,
)
from vaultclient import crypto

from .factories import OTHER_KEY, app_for

pytestmark = pytest.mark.django_db


def _ask(account, agent, kind="chat", ref="chat-a") -> OwnerProof:
    return proof_request(account=account, agent=agent, conversation_kind=kind, conversation_ref=ref)


def _approve(app, proof, *, signature=None, code=None, device=None):
    return proof_approve_app(
        device=device or app.device,
        proof_id=str(proof.public_id),
        code=proof.short_code if code is None else code,
        signature=signature or app.sign(proof),
    )


def _refused(fn, *args, **kwargs) -> ProofError:
    with pytest.raises(ProofError) as refused:
        fn(*args, **kwargs)
    return refused.value


def _status(proof) -> str:
    proof.refresh_from_db()
    return proof.status


# --- The app ------------------------------------------------------------------------------


def test_an_unlocked_app_approves_and_the_code_is_erased(app, agent):
    proof = _ask(app.account, agent)
    code = proof.short_code
    _approve(app, proof)
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.APPROVED and proof.decided_at is not None
    assert proof.device == app.device and proof.device_name == "Pixel 8"
    assert proof.short_code == "" and code not in repr(list(proof.events.values_list("details", flat=True)))
    assert list(proof.events.values_list("action", flat=True)) == ["requested", "approved"]


def test_a_device_token_without_the_account_key_cannot_approve(app, agent):
    proof = _ask(app.account, agent)
    refused = _refused(_approve, app, proof, signature=app.sign(proof, key=OTHER_KEY))
    assert (refused.code, refused.status_code) == ("signature_invalid", 403)
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.PENDING and proof.attempts == 1
    assert proof.events.last().details == {"reason": "signature"}


@pytest.mark.parametrize("garbage", ["", "not base64 !!", crypto.b64url(b"short"), "A" * 86])
def test_a_malformed_signature_is_refused(app, agent, garbage):
    proof = _ask(app.account, agent)
    refused = _refused(_approve, app, proof, signature=garbage or "=")
    assert refused.code in ("invalid", "signature_invalid")
    assert _status(proof) == OwnerProof.Status.PENDING


def test_the_key_of_an_older_generation_cannot_approve(app, agent):
    """After a reset the old account key (and any QR code holding it) proves nothing."""
    new_key = b"N" * 32
    app.account.verifiers.update(obsoleted_at=timezone.now())
    app.account.key_generation = 2
    app.account.save()
    VerifierFactory(account=app.account, generation=2, public_key=crypto.verifier_public(new_key))
    proof = _ask(app.account, agent)
    assert _refused(_approve, app, proof).code == "signature_invalid"  # signed with generation 1's key
    assert _status(proof) == OwnerProof.Status.PENDING
    app.account_key = new_key
    _approve(app, proof)
    assert _status(proof) == OwnerProof.Status.APPROVED


def test_a_verifier_of_another_generation_is_never_used_even_if_not_marked_obsolete(app, agent):
    app.account.key_generation = 2
    app.account.save()
    VerifierFactory(account=app.account, generation=2, public_key=crypto.verifier_public(b"N" * 32))
    proof = _ask(app.account, agent)
    assert proof.method == OwnerProof.Method.APP
    assert _refused(_approve, app, proof).code == "signature_invalid"


def test_the_approval_is_bound_to_the_device_that_signed_it(app, agent):
    other_device = DeviceFactory(account=app.account, name="iPad")
    proof = _ask(app.account, agent)
    signed_by_pixel = app.sign(proof)
    assert _refused(_approve, app, proof, signature=signed_by_pixel, device=other_device).code == (
        "signature_invalid"
    )


def test_a_wrong_code_is_refused_even_with_a_good_signature_over_it(app, agent):
    proof = _ask(app.account, agent)
    wrong = "ZZZZZZ" if proof.short_code != "ZZZZZZ" else "YYYYYY"
    refused = _refused(_approve, app, proof, code=wrong, signature=app.sign(proof, code=wrong))
    assert refused.code == "code_mismatch"
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.PENDING and proof.events.last().details == {"reason": "code"}


def test_wrong_answers_end_the_proof(app, agent, settings):
    settings.OWNER_PROOF_MAX_ATTEMPTS = 3
    proof = _ask(app.account, agent)
    good, code = app.sign(proof), proof.short_code
    for _ in range(3):
        _refused(_approve, app, proof, signature=app.sign(proof, key=OTHER_KEY))
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.FAILED and proof.short_code == ""
    # Even the right answer now changes nothing.
    refused = _refused(_approve, app, proof, signature=good, code=code)
    assert refused.code == "proof_used"
    assert _status(proof) == OwnerProof.Status.FAILED
    [event] = SecurityEvent.objects.filter(account=app.account, type=SecurityEvent.Type.SUPPORT_PROOF)
    assert event.details["result"] == "failed"


def test_a_replayed_approval_is_refused(app, agent):
    proof = _ask(app.account, agent)
    code, signature = proof.short_code, app.sign(proof)
    _approve(app, proof, signature=signature, code=code)
    refused = _refused(_approve, app, proof, signature=signature, code=code)
    assert (refused.code, refused.status_code) == ("proof_used", 409)
    assert proof.events.filter(action=OwnerProofEvent.Action.APPROVED).count() == 1
    assert SecurityEvent.objects.filter(type=SecurityEvent.Type.SUPPORT_PROOF).count() == 1


def test_an_approval_for_one_conversation_cannot_approve_another(app, agent):
    in_chat = _ask(app.account, agent, "chat", "chat-a")
    in_ticket = _ask(app.account, agent, "ticket", "12")
    chat_signature = app.sign(in_chat, code=in_ticket.short_code)
    refused = _refused(_approve, app, in_ticket, signature=chat_signature)
    assert refused.code == "signature_invalid"
    _approve(app, in_chat)
    assert (_status(in_chat), _status(in_ticket)) == (OwnerProof.Status.APPROVED, OwnerProof.Status.PENDING)


@pytest.mark.parametrize("state", ["unverified", "revoked"])
def test_only_a_verified_signed_in_device_can_answer(app, agent, state):
    proof = _ask(app.account, agent)
    if state == "unverified":
        app.device.authorized_at = None
    else:
        app.device.revoked_at = timezone.now()
    app.device.save()
    assert _refused(_approve, app, proof).code == "owner_verification_required"
    assert _refused(proof_refuse_app, device=app.device, proof_id=str(proof.public_id)).code == (
        "owner_verification_required"
    )
    assert _status(proof) == OwnerProof.Status.PENDING


def test_another_accounts_app_cannot_see_approve_or_refuse(app, agent):
    proof = _ask(app.account, agent)
    stranger = app_for(AccountFactory(), name="Stranger's phone")
    for answer in (
        lambda: _approve(stranger, proof, signature=stranger.sign(proof)),
        lambda: proof_refuse_app(device=stranger.device, proof_id=str(proof.public_id)),
    ):
        with pytest.raises(ProofError) as refused:
            answer()
        assert (refused.value.code, refused.value.status_code) == ("proof_not_found", 404)
    assert _status(proof) == OwnerProof.Status.PENDING


def test_the_app_refuses_and_the_proof_is_over(app, agent):
    proof = _ask(app.account, agent)
    signature, code = app.sign(proof), proof.short_code
    proof_refuse_app(device=app.device, proof_id=str(proof.public_id))
    assert _status(proof) == OwnerProof.Status.REFUSED
    assert _refused(_approve, app, proof, signature=signature, code=code).code == "proof_used"
    [event] = SecurityEvent.objects.filter(account=app.account, type=SecurityEvent.Type.SUPPORT_PROOF)
    assert event.details == {"result": "refused", "method": "app", "conversation": "chat"}


# --- Expiry -------------------------------------------------------------------------------


def test_an_expired_request_cannot_be_approved_and_stays_expired(app, agent):
    proof = _ask(app.account, agent)
    signature, code = app.sign(proof), proof.short_code
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = _refused(_approve, app, proof, signature=signature, code=code)
    assert (refused.code, refused.status_code) == ("proof_expired", 410)
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.EXPIRED and proof.short_code == ""  # written despite the error
    assert _refused(_approve, app, proof, signature=signature, code=code).code == "proof_expired"
    assert not SecurityEvent.objects.filter(type=SecurityEvent.Type.SUPPORT_PROOF).exists()


def test_a_request_expired_by_the_beat_cannot_be_approved(app, agent):
    proof = _ask(app.account, agent)
    signature, code = app.sign(proof), proof.short_code
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert owner_proofs_expire() == 1
    assert _refused(_approve, app, proof, signature=signature, code=code).code == "proof_expired"


# --- The e-mailed code --------------------------------------------------------------------


@pytest.fixture
def emailed(no_app_account, agent, django_capture_on_commit_callbacks):
    """A request answered by a code e-mailed to the account's address, and that code."""
    with django_capture_on_commit_callbacks(execute=True):
        proof = _ask(no_app_account, agent, "ticket", "5")
    code = mail.outbox[0].body.split("Your code: ")[1][:8]
    return proof, code


def test_the_e_mailed_code_approves_once(emailed):
    proof, code = emailed
    proof_answer_code(proof_id=str(proof.public_id), code=code)
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.APPROVED and proof.secret_hash == ""
    assert proof.strength == "weak"
    refused = _refused(proof_answer_code, proof_id=str(proof.public_id), code=code)
    assert (refused.code, refused.status_code) == ("proof_used", 409)


def test_wrong_e_mailed_codes_end_the_proof(emailed, settings):
    settings.OWNER_PROOF_MAX_ATTEMPTS = 2
    proof, code = emailed
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for _ in range(2):
        assert _refused(proof_answer_code, proof_id=str(proof.public_id), code=wrong).code == "code_mismatch"
    assert _status(proof) == OwnerProof.Status.FAILED
    assert _refused(proof_answer_code, proof_id=str(proof.public_id), code=code).code == "proof_used"
    assert _status(proof) == OwnerProof.Status.FAILED


def test_an_expired_e_mailed_code_does_not_work(emailed):
    proof, code = emailed
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _refused(proof_answer_code, proof_id=str(proof.public_id), code=code).code == "proof_expired"
    assert _status(proof) == OwnerProof.Status.EXPIRED


def test_a_code_cannot_answer_a_request_of_another_method(app, agent):
    proof = _ask(app.account, agent)
    refused = _refused(proof_answer_code, proof_id=str(proof.public_id), code="12345678")
    assert refused.code == "proof_not_found"
    assert _status(proof) == OwnerProof.Status.PENDING


def test_the_answer_page_limits_answers_per_address(emailed, settings):
    settings.OWNER_PROOF_RATE_ANSWERS_PER_IP = "2/h"
    settings.OWNER_PROOF_MAX_ATTEMPTS = 10
    proof, code = emailed
    url = reverse("proofs:answer", args=[proof.public_id])
    customer = Client()
    statuses = [customer.post(url, {"code": "00000000"}).status_code for _ in range(2)]
    assert statuses == [403, 403]
    assert customer.post(url, {"code": code}).status_code == 429  # even the right code, once over
    assert _status(proof) == OwnerProof.Status.PENDING


# --- What the customer sees ---------------------------------------------------------------


def test_the_customer_reads_vault_support_checked_it_was_you(app, agent):
    _approve(app, _ask(app.account, agent))
    [event] = SecurityEvent.objects.filter(account=app.account, type=SecurityEvent.Type.SUPPORT_PROOF)
    assert event.details == {"result": "approved", "method": "app", "conversation": "chat"}
    customer = Client()
    customer.force_login(app.account.user)
    page = customer.get(reverse("accounts:home")).content.decode()
    assert "Vault support checked it was you" in page


def test_the_customer_reads_a_refusal_and_a_failure_as_such(app, agent, settings):
    proof_refuse_app(device=app.device, proof_id=str(_ask(app.account, agent).public_id))
    settings.OWNER_PROOF_MAX_ATTEMPTS = 1
    failing = _ask(app.account, agent, "ticket", "9")
    _refused(_approve, app, failing, signature=app.sign(failing, key=OTHER_KEY))
    summaries = [
        e.summary for e in SecurityEvent.objects.filter(type=SecurityEvent.Type.SUPPORT_PROOF).order_by("id")
    ]
    assert summaries == [
        "Vault support asked to check it was you: you refused",
        "Vault support asked to check it was you: not confirmed (too many wrong answers)",
    ]
