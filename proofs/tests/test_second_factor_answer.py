"""Owner proof, path 2 (issue 19): the customer opens the page from the chat or ticket and answers
with the account's passkey or authenticator code; no sign-in, no recovery code. Bound to the
proof, single use, expiring, rate limited, audited; the console names the factor."""

import json
import logging
import re
from datetime import timedelta

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.tests.factories import (
    TEST_TOTP_SECRET,
    AccountFactory,
    DeviceFactory,
    VerifierFactory,
    totp_code,
    totp_enroll,
)
from accounts.tests.webauthn import SoftPasskey
from chat.tests.factories import ChatFactory
from proofs import services
from proofs.models import OwnerProof, OwnerProofEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(agent, console_for):
    return console_for(agent)


@pytest.fixture
def owner():
    """A customer with a passkey and an authenticator app, and no signed-in app."""
    account = AccountFactory(user__email="owner@example.com")
    key = SoftPasskey()
    key.enrol(account.user)
    totp_enroll(account.user)
    return account, key


def _ask(account, agent, ref: str = "1", kind: str = "ticket") -> OwnerProof:
    return services.proof_request(account=account, agent=agent, conversation_kind=kind, conversation_ref=ref)


def _url(proof) -> str:
    return reverse("proofs:answer", args=[proof.public_id])


def _passkey(client, proof, credential):
    return client.post(_url(proof), {"action": "passkey", "credential": json.dumps(credential)})


def _code(client, proof, code):
    return client.post(_url(proof), {"action": "code", "code": code})


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _panel(agent_client, account) -> str:
    return agent_client.get(reverse("support:account", args=[account.account_id])).content.decode()


# --- The server picks the method ------------------------------------------------------------


def test_the_server_picks_the_second_factor_and_the_agent_cannot_pick_weaker(agent_client, owner):
    account, _key = owner
    agent_client.post(reverse("support:account_owner_proof", args=[account.account_id]), {"method": "email"})
    chat = ChatFactory(account=account, email=account.user.email)
    agent_client.post(reverse("chat_agent:owner_proof", args=[chat.public_id]), {"method": "email"})
    assert set(OwnerProof.objects.values_list("method", flat=True)) == {"second_factor"}
    assert not OwnerProof.objects.exclude(secret_hash="").exists()  # no code was e-mailed
    page = _panel(agent_client, account)
    assert "a passkey or authenticator code" in page and "strong" in page
    assert (
        reverse("proofs:answer", args=[OwnerProof.objects.get(conversation_kind="account").public_id]) in page
    )


def test_an_unlocked_app_beats_the_second_factor_and_recovery_codes_alone_do_not_count(agent):
    with_app = AccountFactory()
    totp_enroll(with_app.user)
    VerifierFactory(account=with_app)
    DeviceFactory(account=with_app, authorized_at=timezone.now())
    assert _ask(with_app, agent).method == "app"
    codes_only = AccountFactory()
    RecoveryCodes.activate(codes_only.user)
    assert _ask(codes_only, agent).method == "email"


# --- Passkey --------------------------------------------------------------------------------


def test_a_passkey_proves_the_owner_without_signing_in(agent, agent_client, owner):
    account, key = owner
    proof = _ask(account, agent, ref=str(account.account_id), kind="account")
    customer = Client()
    page = customer.get(_url(proof))
    html = page.content.decode()
    assert page.status_code == 200 and "Use your passkey" in html and "Maya from" in html
    assert "Or enter a code from your authenticator app" in html
    assert "Recovery codes do not work here" in html
    for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert "application/json" in tag, tag  # data blocks only: no inline code under our CSP

    response = _passkey(customer, proof, key.assert_for(page.context["passkey_options"]))
    assert response.status_code == 200 and "support now knows it is you" in response.content.decode()
    proof.refresh_from_db()
    assert proof.status == "approved" and proof.short_code == ""
    assert "_auth_user_id" not in customer.session  # a proof signs nobody in
    approved = OwnerProofEvent.objects.get(proof=proof, action="approved")
    assert approved.details == {"factor": "passkey"}
    event = SecurityEvent.objects.get(account=account, type=SecurityEvent.Type.SUPPORT_PROOF)
    assert event.details["result"] == "approved"

    panel = _panel(agent_client, account)
    local = timezone.localtime(proof.decided_at).strftime("%H:%M")
    assert f"Owner proven with a passkey at {local}" in panel and "strong" in panel


def test_a_wrong_passkey_counts_and_three_fail_the_proof(agent, owner):
    account, key = owner
    proof = _ask(account, agent)
    customer = Client()
    page = customer.get(_url(proof))
    stranger = SoftPasskey()
    stranger.enrol(AccountFactory().user)  # a passkey, but of another account
    for attempt in range(1, 4):
        page = _passkey(customer, proof, stranger.assert_for(page.context.get("passkey_options") or {}))
        assert page.status_code == 403
        proof.refresh_from_db()
        assert proof.attempts == attempt
    assert proof.status == "failed" and "Too many wrong answers" in page.content.decode()
    assert account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_FAILED).count() == 3
    reasons = OwnerProofEvent.objects.filter(proof=proof, action="wrong_answer").values_list(
        "details", flat=True
    )
    assert list(reasons) == [{"reason": "passkey"}] * 3
    assert customer.get(_url(proof)).status_code == 410


def test_a_passkey_answer_counts_once_and_only_for_its_own_proof(agent, owner):
    account, key = owner
    first, second = _ask(account, agent, ref="1"), _ask(account, agent, ref="2")
    customer = Client()
    customer.get(_url(second))
    first_options = customer.get(_url(first)).context["passkey_options"]
    # Cross-proof: the first page's answer (the challenge asked last) posted to the second proof.
    answer = key.assert_for(first_options)
    assert _passkey(customer, second, answer).status_code == 403
    second.refresh_from_db()
    assert second.status == "pending" and second.attempts == 1
    # Its own proof takes it, once.
    assert _passkey(customer, first, answer).status_code == 200
    assert _passkey(customer, first, answer).status_code == 410
    first.refresh_from_db()
    assert first.status == "approved"


def test_an_expired_proof_takes_no_answer(agent, owner):
    account, key = owner
    proof = _ask(account, agent)
    customer = Client()
    options = customer.get(_url(proof)).context["passkey_options"]
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _passkey(customer, proof, key.assert_for(options))
    assert response.status_code == 410 and "no longer open" in response.content.decode()
    assert _code(customer, proof, totp_code()).status_code == 410
    proof.refresh_from_db()
    assert proof.status == "pending" and proof.decided_at is None
    assert services.owner_proofs_expire() == 1


# --- Authenticator code ---------------------------------------------------------------------


def test_an_authenticator_code_proves_the_owner(agent, agent_client, owner, caplog):
    caplog.set_level(logging.DEBUG)
    account, _key = owner
    proof = _ask(account, agent, ref=str(account.account_id), kind="account")
    customer = Client()
    code = totp_code()
    response = _code(customer, proof, _wrong(code))
    assert response.status_code == 403 and "This code is not right" in response.content.decode()
    response = _code(customer, proof, code)
    assert response.status_code == 200 and "support now knows it is you" in response.content.decode()
    proof.refresh_from_db()
    assert proof.status == "approved" and proof.attempts == 1
    assert OwnerProofEvent.objects.get(proof=proof, action="approved").details == {
        "factor": "authenticator_app"
    }
    panel = _panel(agent_client, account)
    local = timezone.localtime(proof.decided_at).strftime("%H:%M")
    assert f"Owner proven with an authenticator code at {local}" in panel and "strong" in panel
    # Nothing kept or logged carries the code or the secret.
    kept = json.dumps(list(OwnerProofEvent.objects.values_list("details", flat=True)))
    kept += json.dumps(list(SecurityEvent.objects.values_list("details", flat=True)))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for needle in (code, TEST_TOTP_SECRET):
        assert needle not in kept and needle not in logged


def test_a_used_code_does_not_prove_again(agent, owner):
    account, _key = owner
    first, second = _ask(account, agent, ref="1"), _ask(account, agent, ref="2")
    customer = Client()
    code = totp_code()
    assert _code(customer, first, code).status_code == 200
    assert _code(customer, second, code).status_code == 403  # a reused code
    second.refresh_from_db()
    assert second.status == "pending" and second.attempts == 1


def test_recovery_codes_are_not_taken(agent, owner):
    account, _key = owner
    recovery = RecoveryCodes.activate(account.user).get_unused_codes()[0]
    proof = _ask(account, agent)
    response = _code(Client(), proof, recovery)
    assert response.status_code == 403
    proof.refresh_from_db()
    assert proof.status == "pending"
    # Still unused: the page did not spend it either.
    assert (
        recovery
        in RecoveryCodes(account.user.authenticator_set.get(type="recovery_codes")).get_unused_codes()
    )


def test_an_empty_answer_is_not_a_wrong_one(agent, owner):
    account, _key = owner
    proof = _ask(account, agent)
    customer = Client()
    assert _code(customer, proof, "").status_code == 400
    assert customer.post(_url(proof), {"action": "passkey", "credential": ""}).status_code == 400
    proof.refresh_from_db()
    assert proof.attempts == 0


def test_wrong_answers_hit_allauths_limit_across_proofs(agent, owner):
    account, _key = owner
    customer = Client()
    code = totp_code()
    for ref in ("1", "2"):
        proof = _ask(account, agent, ref=ref)
        for _ in range(3 if ref == "1" else 2):
            _code(customer, proof, _wrong(code))
    third = _ask(account, agent, ref="3")
    response = _code(customer, third, code)
    assert response.status_code == 429 and "Too many failed attempts" in response.content.decode()
    third.refresh_from_db()
    assert third.status == "pending" and third.attempts == 0  # nothing was checked


def test_answers_are_limited_per_address(agent, owner, settings):
    settings.OWNER_PROOF_RATE_ANSWERS_PER_IP = "2/h"
    account, _key = owner
    proof = _ask(account, agent)
    customer = Client()
    code = totp_code()
    _code(customer, proof, _wrong(code))
    _code(customer, proof, _wrong(code))
    assert _code(customer, proof, code).status_code == 429
    proof.refresh_from_db()
    assert proof.status == "pending"


# --- Refusing, and the page of an app request -----------------------------------------------


def test_whoever_holds_the_link_may_refuse(agent, agent_client, owner):
    account, key = owner
    proof = _ask(account, agent, ref=str(account.account_id), kind="account")
    customer = Client()
    customer.get(_url(proof))
    response = customer.post(_url(proof), {"action": "refuse"})
    assert response.status_code == 200 and "did not ask for this" in response.content.decode()
    proof.refresh_from_db()
    assert proof.status == "refused"
    assert "Proof refused" in _panel(agent_client, account)
    assert customer.post(_url(proof), {"action": "refuse"}).status_code == 410


def test_an_app_request_is_answered_in_the_app_not_here(agent):
    account = AccountFactory()
    VerifierFactory(account=account)
    DeviceFactory(account=account, authorized_at=timezone.now())
    proof = _ask(account, agent)
    assert proof.method == "app"
    customer = Client()
    assert "approve the request there" in customer.get(_url(proof)).content.decode()
    assert customer.post(_url(proof), {"action": "refuse"}).status_code == 400
    assert customer.post(_url(proof), {"action": "code", "code": totp_code()}).status_code == 400
    proof.refresh_from_db()
    assert proof.status == "pending"
