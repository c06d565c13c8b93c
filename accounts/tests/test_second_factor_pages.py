"""allauth.mfa's pages in the portal's look and words (templates/mfa/): no inline script or style,
one capitalisation style, the authenticator key on the set-up page only, recovery codes downloadable
from the one page that shows them, and "Confirm it is you" offering only the password or a factor.
The browser journey through the same pages is tests/e2e/test_second_factor_pages.py."""

import re
from pathlib import Path
from urllib.parse import unquote

import pyotp
import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from allauth.utils import get_form_class
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AccountFactory, auth_key_for, totp_code, totp_enroll
from accounts.tests.zk import signin_data

pytestmark = pytest.mark.django_db

MFA_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "mfa"
# allauth's own words for these pages: Title Case, "two-factor", "security key".
ALLAUTH_WORDS = re.compile(
    r"Two-Factor|two-factor authentication|Security Keys?\b|Use a security key|Recovery Codes|"
    r"Authenticator App|Sign In\b|Don't Trust|Trust this Browser|Confirm Access|Master key|Backup key"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>")


@pytest.fixture
def account():
    return AccountFactory()


def _signed_in(client, account):
    """Signed in and just re-authenticated with the password (the zero-knowledge form)."""
    assert client.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()}).status_code == 302
    return client


def _passkey(user, name="Work laptop"):
    """A passkey row as allauth stores it (no real credential: enough for the pages that list it)."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {"clientExtensionResults": {"credProps": {"rk": True}}}},
    )


def _assert_portal_page(response, name):
    assert response.status_code == 200, (name, response.status_code)
    html = response.content.decode()
    assert "/static/css/portal.css" in html, name
    for attributes in INLINE_SCRIPT.findall(html):
        assert "application/json" in attributes, (name, attributes)  # data blocks only, never code
    assert " style=" not in html and "<style" not in html, name
    assert not ALLAUTH_WORDS.search(html), (name, ALLAUTH_WORDS.search(html))
    return html


TEMPLATE_PATHS = sorted(p.relative_to(MFA_TEMPLATES).as_posix() for p in MFA_TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATE_PATHS)
def test_mfa_templates_hold_no_inline_script_or_style(path):
    source = (MFA_TEMPLATES / path).read_text()
    assert not INLINE_SCRIPT.search(source), path
    assert "style=" not in source and "<style" not in source, path
    assert "{% element" not in source, path  # allauth's default elements: not the portal's components


def test_every_manage_page_is_a_portal_page(client, account):
    user = account.user
    _signed_in(client, account)
    html = _assert_portal_page(client.get(reverse("mfa_index")), "mfa_index")
    assert "Your account is protected by your password only" in html
    activate = client.get(reverse("mfa_activate_totp"))
    _assert_portal_page(activate, "mfa_activate_totp")
    secret = activate.context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    codes = _assert_portal_page(client.get(reverse("mfa_view_recovery_codes")), "codes shown")
    assert "Shown once: download them or write them down" in codes
    _assert_portal_page(client.get(reverse("mfa_add_webauthn")), "mfa_add_webauthn")
    passkey = _passkey(user)  # not a real credential: only for the pages that list and name it
    for name, kwargs in [
        ("mfa_index", {}),
        ("mfa_view_recovery_codes", {}),
        ("mfa_generate_recovery_codes", {}),
        ("mfa_deactivate_totp", {}),
        ("mfa_list_webauthn", {}),
        ("mfa_edit_webauthn", {"pk": passkey.pk}),
        ("mfa_remove_webauthn", {"pk": passkey.pk}),
        ("mfa_reauthenticate", {}),
    ]:
        html = _assert_portal_page(client.get(reverse(name, kwargs=kwargs)), name)
        assert secret not in html.replace(" ", ""), name  # the key: on the set-up page only


def test_sign_in_steps_are_portal_pages(client, account):
    totp_enroll(account.user)
    assert client.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    html = _assert_portal_page(client.get(reverse("mfa_authenticate")), "mfa_authenticate")
    assert "One more step to sign in" in html and "Use a passkey" not in html  # no passkey enrolled
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    html = _assert_portal_page(response, "wrong code")
    assert "data-error-summary" in html and 'href="#id_code"' in html and 'aria-invalid="true"' in html
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()})["Location"] == reverse("mfa_trust")
    html = _assert_portal_page(client.get(reverse("mfa_trust")), "mfa_trust")
    assert "Trust this browser for 2\xa0weeks" in html and "Ask every time" in html


def test_the_download_link_holds_the_codes_shown_in_the_file_allauth_sends(client, account):
    _signed_in(client, account)
    totp_enroll(account.user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(account.user).get_unused_codes()
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    href = re.search(
        r'href="data:text/plain;charset=utf-8,([^"]+)" download="vault-recovery-codes\.txt"', html
    )
    assert href, html
    text = unquote(href.group(1))
    assert text.startswith("Vault recovery codes\nAccount: " + account.user.email)
    assert text.strip().split("\n\n")[-1].split() == codes
    # A second visit shows none of them (MFA_RECOVERY_CODES_SHOW_ONCE), and offers new ones.
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert not any(code in again for code in codes) and "data:text/plain" not in again
    assert reverse("mfa_generate_recovery_codes") in again


def test_confirm_it_is_you_offers_the_password_or_a_factor_never_an_emailed_code(client, account):
    totp_enroll(account.user)
    _passkey(account.user)
    client.force_login(account.user)
    html = client.get(reverse("account_reauthenticate")).content.decode()
    assert "Or confirm another way" in html
    assert "Use a code from your authenticator app, or a recovery code" in html
    assert "Use a passkey" in html
    assert "sign-in code" not in html
    assert client.get(reverse("account_request_reauthentication_code")).status_code in (403, 404)
    html = client.get(reverse("mfa_reauthenticate")).content.decode()
    assert "Use your Account Password" in html and "Use a passkey" in html


def test_a_new_passkey_is_named_in_the_portals_words(account):
    from allauth.mfa.adapter import get_adapter

    adapter = get_adapter()
    assert adapter.generate_authenticator_name(account.user, Authenticator.Type.WEBAUTHN) == "Passkey 1"
    _passkey(account.user)
    assert adapter.generate_authenticator_name(account.user, Authenticator.Type.WEBAUTHN) == "Passkey 2"


def test_the_key_is_written_in_groups_of_four():
    html = Template("{% load second_factors %}{{ key|key_groups }}").render(Context({"key": "ABCDEFGHIJ"}))
    assert html == "ABCD EFGH IJ"


def test_an_error_of_a_hidden_field_is_listed_without_a_link():
    from django import forms

    class PasskeyForm(forms.Form):
        credential = forms.CharField(widget=forms.HiddenInput)

    form = PasskeyForm(data={})
    html = Template('{% include "components/error_summary.html" %}').render(Context({"form": form}))
    assert "This field is required." in html and 'href="#id_credential"' not in html


def test_an_empty_code_says_what_to_type_on_every_code_page(client, account):
    """Sent empty, allauth's code fields answered "This field is required." (sign-in code step,
    "Confirm it is you", setting up the app, the reset link's factor step, an owner proof)."""
    from accounts.forms import CODE_OR_RECOVERY_MISSING
    from resets.forms import ResetSecondFactorForm

    totp_enroll(account.user)
    assert client.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    sign_in_step = client.post(reverse("mfa_authenticate"), {"code": ""}).content.decode()
    assert (
        "Enter the 6-digit code your authenticator app shows, or one of your recovery codes." in sign_in_step
    )

    setting_up = _signed_in(Client(), AccountFactory())
    activate = setting_up.post(reverse("mfa_activate_totp"), {"code": ""}).content.decode()
    assert "Enter the 6-digit code your authenticator app shows now." in activate

    reset_step = ResetSecondFactorForm(data={}, user=account.user)
    recovery_only = ResetSecondFactorForm(data={}, user=account.user, app=False)
    assert reset_step.errors["code"] == [CODE_OR_RECOVERY_MISSING]
    assert recovery_only.errors["code"] == ["Enter one of your recovery codes."]
    for html in (sign_in_step, activate):
        assert "This field is required" not in html


def test_renaming_a_passkey_refuses_hidden_characters(client, account):
    """The name is read back in the "second factor added" e-mail: it must not disguise the alert."""
    _signed_in(client, account)
    passkey = _passkey(account.user)
    url = reverse("mfa_edit_webauthn", kwargs={"pk": passkey.pk})
    response = client.post(url, {"name": "Work \u202epotpal"})
    html = _assert_portal_page(response, "rename refused")
    assert "The passkey name holds invisible formatting characters" in html and 'aria-invalid="true"' in html
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Work laptop"
    assert client.post(url, {"name": "מחשב העבודה 🔑"}).status_code == 302
    passkey.refresh_from_db()
    assert passkey.data["name"] == "מחשב העבודה 🔑"


def test_adding_a_passkey_refuses_a_name_with_hidden_characters(account):
    form_class = get_form_class(mfa_settings.FORMS, "add_webauthn", AddWebAuthnForm)
    form = form_class({"name": "Blue key\u2066", "credential": "{}"}, user=account.user)
    assert not form.is_valid()
    assert form.has_error("name", "hidden_characters")
