"""The second-factor checks of pages outside allauth's sign-in (accounts.second_factors):
a passkey answering its own page's challenge once, an authenticator code used once, no recovery
code, allauth's rate limit, and a security event for every wrong answer."""

import base64
import logging

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import STATE_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts.models import SecurityEvent
from accounts.second_factors import (
    SecondFactorRateLimited,
    authenticator_code_check,
    passkey_challenge_begin,
    passkey_check,
    second_factor_kinds,
)
from accounts.tests.factories import AccountFactory, totp_code, totp_enroll
from accounts.tests.webauthn import SoftPasskey

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    """One browser session posting answers (the checks keep their challenges in the session)."""
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")  # allauth counts POSTs only
    request.session = SessionStore()
    return request


@pytest.fixture
def account():
    return AccountFactory()


@pytest.fixture
def passkey(account):
    key = SoftPasskey()
    key.enrol(account.user)
    return key


def _failures(account) -> int:
    return account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_FAILED).count()


def test_a_passkey_answers_its_challenge_once(request_, account, passkey):
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    answer = passkey.assert_for(options)
    assert passkey_check(request_, account.user, answer, purpose="reset:1")
    assert account.user.authenticator_set.get(type="webauthn").last_used_at is not None
    assert _failures(account) == 0
    # The same answer again (a replay): the challenge is spent.
    assert not passkey_check(request_, account.user, answer, purpose="reset:1")
    assert _failures(account) == 1


def test_an_answer_counts_only_on_the_page_that_asked(request_, account, passkey):
    first = passkey_challenge_begin(request_, account.user, purpose="proof:a")
    passkey_challenge_begin(request_, account.user, purpose="proof:b")
    assert not passkey_check(request_, account.user, passkey.assert_for(first), purpose="proof:b")
    # proof:a's challenge is still open and still answers proof:a.
    assert passkey_check(request_, account.user, passkey.assert_for(first), purpose="proof:a")


def test_a_page_that_asked_nothing_takes_no_answer(request_, account, passkey):
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert not passkey_check(request_, account.user, passkey.assert_for(options), purpose="reset:2")


def test_another_accounts_passkey_is_refused(request_, account, passkey):
    stranger = SoftPasskey()
    stranger.enrol(AccountFactory().user)
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert not passkey_check(request_, account.user, stranger.assert_for(options), purpose="reset:1")
    assert _failures(account) == 1


def test_an_answer_from_another_site_is_refused(request_, account, passkey, settings):
    """With origins checked (production), an answer made for another origin does not count."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    phished = passkey.assert_for(options, origin="https://vault-support.example")
    assert not passkey_check(request_, account.user, phished, purpose="reset:1")
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    ours = passkey.assert_for(options, origin="https://testserver")
    assert passkey_check(request_, account.user, ours, purpose="reset:1")


@pytest.mark.parametrize(
    "credential",
    ["a string", [], {}, {"id": "x", "rawId": "y"}, {"type": "public-key", "response": {"signature": 1}}],
)
def test_a_malformed_answer_is_a_wrong_answer_not_an_error(request_, account, passkey, credential):
    passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert not passkey_check(request_, account.user, credential, purpose="reset:1")
    assert _failures(account) == 1


def test_allauths_own_challenge_in_the_session_is_left_alone(request_, account, passkey):
    request_.session[STATE_SESSION_KEY] = {"challenge": "allauths-own", "user_verification": "preferred"}
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert request_.session[STATE_SESSION_KEY]["challenge"] == "allauths-own"
    assert passkey_check(request_, account.user, passkey.assert_for(options), purpose="reset:1")
    assert request_.session[STATE_SESSION_KEY]["challenge"] == "allauths-own"


def test_wrong_passkeys_hit_allauths_limit(request_, account, passkey):
    stranger = SoftPasskey()
    for _ in range(5):
        options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
        assert not passkey_check(request_, account.user, stranger.assert_for(options), purpose="reset:1")
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    with pytest.raises(SecondFactorRateLimited):
        passkey_check(request_, account.user, passkey.assert_for(options), purpose="reset:1")


def test_a_right_passkey_clears_the_count(request_, account, passkey):
    stranger = SoftPasskey()
    for _ in range(4):
        options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
        passkey_check(request_, account.user, stranger.assert_for(options), purpose="reset:1")
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert passkey_check(request_, account.user, passkey.assert_for(options), purpose="reset:1")
    for _ in range(4):
        options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
        assert not passkey_check(request_, account.user, stranger.assert_for(options), purpose="reset:1")


def test_an_authenticator_code_works_once_and_a_recovery_code_never(request_, account):
    totp_enroll(account.user)
    recovery = RecoveryCodes.activate(account.user).get_unused_codes()[0]
    code = totp_code()
    assert authenticator_code_check(request_, account.user, code)
    assert not authenticator_code_check(request_, account.user, code)  # reused
    assert not authenticator_code_check(request_, account.user, "000000" if code != "000000" else "111111")
    assert not authenticator_code_check(request_, account.user, recovery)
    assert RecoveryCodes(account.user.authenticator_set.get(type="recovery_codes")).validate_code(recovery)
    assert _failures(account) == 3


def test_without_an_authenticator_app_no_code_passes(request_, account, passkey):
    assert not authenticator_code_check(request_, account.user, totp_code())


def test_wrong_codes_hit_allauths_limit(request_, account):
    totp_enroll(account.user)
    for _ in range(5):
        authenticator_code_check(request_, account.user, "999999")
    with pytest.raises(SecondFactorRateLimited):
        authenticator_code_check(request_, account.user, totp_code())


def test_kinds_name_what_a_page_can_offer(account, passkey):
    totp_enroll(account.user)
    assert second_factor_kinds(account.user) == {"webauthn", "totp"}
    assert second_factor_kinds(AccountFactory().user) == frozenset()


def test_a_passed_passkey_leaves_no_credential_id_in_the_logs(request_, account, passkey, caplog):
    caplog.set_level(logging.DEBUG)
    options = passkey_challenge_begin(request_, account.user, purpose="reset:1")
    assert passkey_check(request_, account.user, passkey.assert_for(options), purpose="reset:1")
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    credential = passkey.credential_id
    assert credential.hex() not in logged
    assert base64.urlsafe_b64encode(credential).rstrip(b"=").decode() not in logged
