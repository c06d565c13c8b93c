"""Second factors through allauth.mfa's real forms: TOTP (pyotp codes), recovery codes, the
sign-in step, the history and the owner's e-mail, errors and allauth's rate limit."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.models import SecurityEvent
from accounts.second_factors import second_factor_enrolled, second_factor_summary
from accounts.tests.factories import TEST_TOTP_SECRET, AccountFactory, auth_key_for, totp_code, totp_enroll
from accounts.tests.zk import signin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return AccountFactory()


def _signed_in(client, account):
    """Signed in, and re-authenticated as allauth asks before factor changes: through the
    zero-knowledge form (the auth key only, never the password)."""
    response = client.post(reverse("account_login"), signin_data(account.user.email))
    assert response.status_code == 302, response.content
    response = client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()})
    assert response.status_code == 302, response.content
    return client


def _activate_totp(client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.context["form"].errors
    return secret


def test_activating_totp_through_the_form_records_an_event_and_emails_the_owner(
    client, account, django_capture_on_commit_callbacks
):
    _signed_in(client, account)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        secret = _activate_totp(client)
    assert second_factor_enrolled(account.user)
    events = list(account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_ADDED))
    assert events and events[0].details["factor"] in ("totp", "recovery_codes")
    assert events[0].ip  # the origin was recorded
    subjects = [m.subject for m in mail.outbox]
    assert any("second factor was added" in s for s in subjects), subjects
    # No secret in the history, the e-mail or the account page.
    page = client.get(reverse("accounts:home")).content.decode()
    assert "Authenticator app" in page
    for text in [page, *(m.body for m in mail.outbox), *(str(e.details) for e in events)]:
        assert secret not in text


def test_wrong_code_on_activation_is_a_clear_error(client, account):
    _signed_in(client, account)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not second_factor_enrolled(account.user)


def _sign_in_to_code_step(client, account):
    response = client.post(reverse("account_login"), signin_data(account.user.email))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_sign_in_asks_for_the_code_and_refuses_a_reused_one(client, account):
    totp_enroll(account.user)
    _sign_in_to_code_step(client, account)
    code = totp_code()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == reverse("mfa_trust")  # "trust this browser" is offered
    assert client.post(reverse("mfa_trust"), {"action": "skip"}).status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    client.logout()
    _sign_in_to_code_step(client, account)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # the same code twice: refused
    assert "Incorrect code" in response.content.decode()


def test_an_expired_code_is_refused(client, account):
    totp_enroll(account.user)
    _sign_in_to_code_step(client, account)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(offset=-10)})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_FAILED).exists()


def test_recovery_codes_are_single_use(client, account):
    user = account.user
    totp_enroll(user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(user).get_unused_codes()
    _sign_in_to_code_step(client, account)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.logout()
    _sign_in_to_code_step(client, account)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302


def test_code_entry_is_rate_limited_by_allauth(client, account):
    totp_enroll(account.user)
    _sign_in_to_code_step(client, account)
    statuses = []
    for _ in range(6):
        response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        statuses.append(response.content.decode())
    assert "Too many" in statuses[-1]
    # Even the right code is refused while the limit holds.
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 200


def test_removing_totp_is_recorded_and_emailed(client, account, django_capture_on_commit_callbacks):
    _signed_in(client, account)
    _activate_totp(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert account.security_events.filter(type=SecurityEvent.Type.SECOND_FACTOR_REMOVED).exists()
    assert any("removed" in m.subject for m in mail.outbox)


def test_summary_names_kinds_never_secrets(account):
    totp_enroll(account.user)
    summary = second_factor_summary(account.user)
    assert [s["type"] for s in summary] == [Authenticator.Type.TOTP]
    assert TEST_TOTP_SECRET not in str(summary)


def test_totp_secret_is_encrypted_at_rest(account):
    authenticator = totp_enroll(account.user)
    authenticator.refresh_from_db()
    assert TEST_TOTP_SECRET not in str(authenticator.data)


def test_mfa_pages_use_the_portal_layout_without_inline_script(client, account):
    _signed_in(client, account)
    for name in ("mfa_index", "mfa_activate_totp", "mfa_add_webauthn"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "portal.css" in html
        assert "unsafe-inline" not in response.get("Content-Security-Policy", "")
        import re

        for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
            assert "application/json" in tag, (name, tag)  # data blocks only, never code


def test_sign_in_page_offers_a_passkey_with_our_own_scripts_only(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in html and 'id="mfa_login"' in html
    assert "/static/mfa/js/webauthn.js" in html
    import re

    for tag in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert "application/json" in tag, tag


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("Passkey 1", "The passkey “Passkey 1” was added to your Vault account"),
        ("Work laptop", "The passkey “Work laptop” was added to your Vault account"),
        ("", "A passkey was added to your Vault account"),
    ],
)
def test_the_e_mail_names_a_new_passkey_once(account, name, sentence):
    """A passkey with its default name was announced as "Passkey Passkey 1 was added"."""
    from allauth.mfa.models import Authenticator

    from accounts.emails import second_factor_changed_render
    from accounts.second_factors import ADDED, second_factor_change_record
    from mailer.models import OutboundEmail

    passkey = Authenticator.objects.create(
        user=account.user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )
    second_factor_change_record(user=account.user, authenticator=passkey, action=ADDED)
    email = OutboundEmail.objects.filter(to=account.user.email).latest("pk")
    rendered = second_factor_changed_render(email)
    assert sentence in rendered.body
    assert sentence in rendered.alternatives[0][0]
