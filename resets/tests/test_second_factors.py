"""Resets of accounts with a second factor: the code or passkey step on the link page, the
cooling-off reset end to end with a moved clock, its e-mails, the API and the removal of lost
factors."""

import json
import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.second_factors import second_factor_enrolled
from accounts.tests.factories import (
    TEST_TOTP_SECRET,
    AccountFactory,
    DeviceFactory,
    totp_code,
    totp_enroll,
)
from accounts.tests.webauthn import SoftPasskey
from accounts.tests.zk import new_password_data
from resets import services
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-Passphrase-77"


def _complete_data(account):
    return {
        **new_password_data(NEW_PASSWORD),
        "hint": "a new hint",
        "confirm_email": account.user.email,
        "confirm_erase": "on",
    }


@pytest.fixture
def protected():
    account = AccountFactory()
    totp_enroll(account.user)
    return account


def _open(client, token):
    assert client.get(reverse("resets:link_token", args=[token])).status_code == 302
    return client.get(reverse("resets:link"))


def test_without_a_factor_the_reset_works_as_before(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    page = _open(client, token)
    assert 'data-zk="reset"' in page.content.decode()
    assert client.post(reverse("resets:link"), _complete_data(account)).status_code == 302


def test_the_reset_form_appears_only_after_the_code(client, protected):
    _, token, _ = pending_reset(protected)
    page = _open(client, token).content.decode()
    assert 'data-zk="reset"' not in page and "Enter a code" in page
    # Posting the reset form straight away is refused, nothing is erased.
    assert client.post(reverse("resets:link"), _complete_data(protected)).status_code == 403
    response = client.post(reverse("resets:link_factor"), {"action": "code", "code": "000000"})
    assert response.status_code == 400 and "Incorrect code" in response.content.decode()
    response = client.post(reverse("resets:link_factor"), {"action": "code", "code": totp_code()})
    assert response.status_code == 302
    assert 'data-zk="reset"' in client.get(reverse("resets:link")).content.decode()
    assert client.post(reverse("resets:link"), _complete_data(protected)).status_code == 302
    # Passing the factor keeps it; the customer was not signed in.
    assert second_factor_enrolled(protected.user)
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_also_passes_and_works_once(client, protected):
    codes = RecoveryCodes.activate(protected.user).get_unused_codes()
    _, token, _ = pending_reset(protected)
    _open(client, token)
    assert client.post(reverse("resets:link_factor"), {"action": "code", "code": codes[0]}).status_code == 302
    other = client.__class__()
    other.get(reverse("resets:link_token", args=[token]))
    response = other.post(reverse("resets:link_factor"), {"action": "code", "code": codes[0]})
    assert response.status_code == 400


def test_wrong_codes_on_the_link_page_hit_allauths_limit(client, protected):
    _, token, _ = pending_reset(protected)
    _open(client, token)
    for _ in range(5):
        client.post(reverse("resets:link_factor"), {"action": "code", "code": "111111"})
    response = client.post(reverse("resets:link_factor"), {"action": "code", "code": totp_code()})
    assert response.status_code == 400
    assert "Too many" in response.content.decode()
    assert protected.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_FAILED).count() >= 5


def test_the_service_refuses_a_reset_that_skipped_the_factor(protected):
    from accounts.tests.factories import credentials_for

    _, token, _ = pending_reset(protected)
    with pytest.raises(services.ResetSecondFactorRequired):
        services.reset_complete(token=token, hint="h", **credentials_for(NEW_PASSWORD))


def test_cooling_off_reset_end_to_end(
    client, protected, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.RESET_COOLING_OFF_DAYS = 7
    DeviceFactory(account=protected)
    reset_request, token, cancel = pending_reset(protected)
    _open(client, token)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resets:link_factor"), {"action": "cooling_off"})
    assert response.status_code == 302
    reset_request.refresh_from_db()
    started = timezone.now()
    assert abs((reset_request.cooling_off_until - started) - timedelta(days=7)) < timedelta(minutes=1)
    assert [m.subject for m in mail.outbox if "without its second factor" in m.subject]
    assert protected.security_events.filter(type=SecurityEvent.Type.RESET_COOLING_OFF_STARTED).exists()
    # During the wait: the link page says so and the form still does not appear.
    page = client.get(reverse("resets:link")).content.decode()
    assert "is waiting" in page and 'data-zk="reset"' not in page
    assert client.post(reverse("resets:link"), _complete_data(protected)).status_code == 403

    # Six days and a bit later: the reminder, once.
    later = started + timedelta(days=6, hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reset_cooling_off_remind() == 1
        assert services.reset_cooling_off_remind() == 0
    assert any("One day left" in m.subject for m in mail.outbox)

    # After the wait: the link works without the factor, and the reset removes the factors.
    after = started + timedelta(days=7, minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: after)
    page = client.get(reverse("resets:link")).content.decode()
    assert 'data-zk="reset"' in page and "removes your passkeys" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resets:link"), _complete_data(protected))
    assert response.status_code == 302, response.content
    assert not Authenticator.objects.filter(user=protected.user).exists()
    done = [m for m in mail.outbox if "reset" in m.subject.lower()]
    assert done and "second factors" in done[-1].body and "were removed" in done[-1].body
    for message in mail.outbox:
        assert TEST_TOTP_SECRET not in message.body


def test_this_wasnt_me_cancels_the_cooling_off_reset(client, protected):
    reset_request, token, cancel = pending_reset(protected)
    _open(client, token)
    client.post(reverse("resets:link_factor"), {"action": "cooling_off"})
    other = client.__class__()
    other.get(reverse("resets:cancel_token", args=[cancel]))
    assert other.post(reverse("resets:cancel")).status_code == 200
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED
    assert second_factor_enrolled(protected.user)


def test_the_code_still_skips_the_wait(client, protected):
    _, token, _ = pending_reset(protected)
    _open(client, token)
    client.post(reverse("resets:link_factor"), {"action": "cooling_off"})
    assert (
        client.post(reverse("resets:link_factor"), {"action": "code", "code": totp_code()}).status_code == 302
    )
    assert client.post(reverse("resets:link"), _complete_data(protected)).status_code == 302
    assert second_factor_enrolled(protected.user)


def test_the_notice_page_and_the_reset_article_explain_second_factors(client):
    html = client.get(reverse("resets:notice")).content.decode()
    assert "If your account has a second factor" in html and "7 days" in html
    from support.models import Article

    article = Article.objects.get(slug="account-reset")
    assert "If your account has a second factor" in article.body and "7 days" in article.body


# --- A passkey on the link page ------------------------------------------------------------


@pytest.fixture
def passkey_only():
    """An account whose factor is a passkey, with the recovery codes allauth gives with it."""
    account = AccountFactory()
    key = SoftPasskey()
    key.enrol(account.user)
    RecoveryCodes.activate(account.user)
    return account, key


def _passkey_post(client, credential):
    return client.post(
        reverse("resets:link_factor"), {"action": "passkey", "credential": json.dumps(credential)}
    )


def test_a_passkey_passes_the_step_and_the_reset_form_appears(client, passkey_only):
    account, key = passkey_only
    _, token, _ = pending_reset(account)
    page = _open(client, token)
    html = page.content.decode()
    assert "Use your passkey" in html and 'data-zk="reset"' not in html
    # No authenticator app: the code field takes a recovery code, and says so.
    assert "One of your recovery codes" in html and "authenticator app and enter" not in html
    assert "/static/js/second-factors.js" in html and "/static/mfa/js/webauthn.js" in html
    for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert "application/json" in tag, tag  # data blocks only: CSP allows no inline code
    response = _passkey_post(client, key.assert_for(page.context["passkey_options"]))
    assert response.status_code == 302 and response["Location"] == reverse("resets:link")
    assert 'data-zk="reset"' in client.get(reverse("resets:link")).content.decode()
    assert client.post(reverse("resets:link"), _complete_data(account)).status_code == 302
    assert "_auth_user_id" not in client.session  # nobody was signed in


def test_a_wrong_or_replayed_passkey_is_refused_and_recorded(client, passkey_only):
    account, key = passkey_only
    _, token, _ = pending_reset(account)
    options = _open(client, token).context["passkey_options"]
    stranger = SoftPasskey()
    stranger.enrol(AccountFactory().user)
    response = _passkey_post(client, stranger.assert_for(options))
    assert response.status_code == 400 and "This passkey was not accepted" in response.content.decode()
    # The refusal page asked a new challenge; the old one's right answer is a replay now.
    response = _passkey_post(client, key.assert_for(options))
    assert response.status_code == 400
    assert account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_FAILED).count() == 2
    refused = client.post(reverse("resets:link"), _complete_data(account))
    assert refused.status_code == 403
    # The challenge of the page shown last works (each page showing the button asks a new one).
    assert _passkey_post(client, key.assert_for(refused.context["passkey_options"])).status_code == 302


def test_wrong_passkeys_hit_allauths_limit_like_codes(client, passkey_only):
    account, key = passkey_only
    _, token, _ = pending_reset(account)
    page = _open(client, token)
    stranger = SoftPasskey()
    for _ in range(5):
        page = _passkey_post(client, stranger.assert_for(page.context["passkey_options"]))
        assert page.status_code == 400
    response = _passkey_post(client, key.assert_for(page.context["passkey_options"]))
    assert response.status_code == 429 and "Too many failed attempts" in response.content.decode()
    assert 'data-zk="reset"' not in client.get(reverse("resets:link")).content.decode()


def test_a_passkey_answer_from_another_link_session_does_not_count(client, passkey_only):
    account, key = passkey_only
    _, token, _ = pending_reset(account)
    options = _open(client, token).context["passkey_options"]
    other = client.__class__()
    _open(other, token)
    assert _passkey_post(other, key.assert_for(options)).status_code == 400


def test_passkey_and_authenticator_app_are_both_offered(client, passkey_only):
    account, _key = passkey_only
    totp_enroll(account.user)
    _, token, _ = pending_reset(account)
    html = _open(client, token).content.decode()
    assert "Use your passkey" in html and "Or enter a code" in html
    assert "Code from your authenticator app, or a recovery code" in html
    assert (
        client.post(reverse("resets:link_factor"), {"action": "code", "code": totp_code()}).status_code == 302
    )


def test_without_a_passkey_no_passkey_button(client, protected):
    _, token, _ = pending_reset(protected)
    html = _open(client, token).content.decode()
    assert "Use your passkey" not in html and "webauthn.js" not in html
