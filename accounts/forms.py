"""Web forms of the customer account: allauth's sign-in, sign-up and re-authentication, zero-knowledge.

The Account Password never reaches the server (docs/auth-protocol.md): the page's own script
(static/js/zk.js) derives an *auth key* on the device and posts it in `auth_key`, with the salt
and parameters it used (`kdf_*`) where a new password is set. The password inputs have no
`name`; checks that need the password (length, strength, confirmation, hint) run on the device.
"""

import json

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.mfa.base.forms import AuthenticateForm as AllauthMfaAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthMfaReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from core.addresses import email_normalise
from core.hidden_characters import HiddenCharactersValidator

from .kdf import NO_AUTH_KEY, KdfParams, auth_key_clean, kdf_default
from .models import User
from .passwords import HINT_MAX_LENGTH
from .second_factors import SecondFactorRateLimited, authenticator_code_check, passkey_check

KDF_FIELD_NAMES = ("kdf_salt", "kdf_iterations", "kdf_memory_kib", "kdf_parallelism")


class KeyInput(forms.HiddenInput):
    """A hidden input that never renders a submitted auth key back into a page."""

    def format_value(self, value):
        return None


def auth_key_field() -> forms.CharField:
    """The derived key (templates write its input by hand, empty, for zk.js to fill)."""
    return forms.CharField(required=False, widget=KeyInput)


def hint_field(*, label: str, help_text: str) -> forms.CharField:
    """The password hint; the page checks on the device that it does not hold the password."""
    return forms.CharField(
        label=label,
        max_length=HINT_MAX_LENGTH,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-zk-hint": ""}),
    )


def kdf_params_json() -> str:
    """The default Argon2id costs a new password is derived with (the page adds a fresh salt)."""
    params = kdf_default().as_dict()
    params.pop("salt")
    return json.dumps(params)


class AuthKeyMixin:
    """Read `auth_key` (and, with `with_kdf`, the `kdf_*` parameters) and refuse a form without them."""

    with_kdf = False

    def _auth_key_setup(self) -> None:
        self.fields["auth_key"] = auth_key_field()
        if self.with_kdf:
            for name in KDF_FIELD_NAMES:
                self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)

    def _auth_key_clean(self) -> bool:
        """Put the auth key (and `kdf`) in cleaned_data, or a form error a person can act on."""
        try:
            self.cleaned_data["auth_key"] = auth_key_clean(self.cleaned_data.get("auth_key", ""))
        except ValidationError:
            self.add_error(None, NO_AUTH_KEY)
            return False
        if self.with_kdf:
            try:
                self.cleaned_data["kdf"] = KdfParams.from_data(self.data, prefix="kdf_")
            except ValidationError as error:
                self.add_error(None, error)
                return False
        return True

    @property
    def zk_params(self) -> str:
        return kdf_params_json()


class LoginForm(AuthKeyMixin, AllauthLoginForm):
    """Sign-in (customers and staff alike): the e-mail address and the auth key derived on the device."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("password", None)
        self._auth_key_setup()
        self.fields["login"].widget.attrs["data-zk-required"] = "Enter the e-mail address of your account."
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"

    def user_credentials(self) -> dict:
        credentials = super().user_credentials()
        # The "password" Django and allauth check is the auth key: it is what the server stores a hash of.
        credentials["password"] = self.cleaned_data["auth_key"]
        return credentials

    def clean(self):
        if not self._auth_key_clean():
            return self.cleaned_data
        return super().clean()


class ReauthenticateForm(AuthKeyMixin, AllauthReauthenticateForm):
    """Confirm it is still you (allauth's re-authentication): the auth key only, the address is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("password", None)
        self._auth_key_setup()

    def clean(self):
        cleaned = super().clean()
        if self._auth_key_clean() and not get_adapter().reauthenticate(self.user, cleaned["auth_key"]):
            self.add_error(None, get_adapter().validation_error("incorrect_password"))
        return cleaned


class SignupForm(AuthKeyMixin, AllauthSignupForm):
    """Sign-up: the e-mail address, the auth key with its salt and parameters, an optional hint."""

    with_kdf = True

    password_hint = hint_field(
        label="Password hint (optional)",
        help_text="We can e-mail this to you if you forget your password. It must not contain the password.",
    )

    field_order = ["email", "password_hint"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("password1", None)
        self.fields.pop("password2", None)
        self._auth_key_setup()
        self.fields["email"].widget.attrs["data-zk-required"] = "Enter your e-mail address."

    def clean(self):
        cleaned = super().clean()
        self._auth_key_clean()
        return cleaned

    def validate_unique_email(self, value):
        """Whether the address already has an account, by the same two queries either way.

        allauth's own lookup loads the owner's rows when the address is taken (and nothing
        otherwise): measurable work that only a taken address costs (issue 14). A taken address
        is then signed up as a decoy, rolled back (`AccountAdapter.signup_form_valid`).
        """
        in_users = User.objects.filter(email=value).exists()
        in_addresses = EmailAddress.objects.filter(email=value).exists()
        self.account_already_exists = in_users or in_addresses
        return get_adapter().validate_unique_email(value)


AUTH_KEY_MISSING = NO_AUTH_KEY


class ReauthForm(forms.Form):
    """The Account Password again, as the auth key derived on the device (`data-zk="reauth"`)."""

    wrong_password = "That password is not right. Nothing was changed."

    auth_key = forms.CharField(required=False, widget=KeyInput, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        auth_key = cleaned.get("auth_key") or ""
        if not auth_key:
            raise forms.ValidationError(AUTH_KEY_MISSING)
        if not self.user.check_password(auth_key):
            raise forms.ValidationError(self.wrong_password)
        return cleaned


class EmailChangeForm(ReauthForm):
    """A new address, and the Account Password again (as the auth key derived on the device)."""

    new_email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link to this address. Nothing changes until you open it.",
    )

    field_order = ["new_email"]

    def clean_new_email(self):
        email = email_normalise(self.cleaned_data["new_email"])
        if email == self.user.email:
            raise forms.ValidationError("This is already your account's e-mail address.")
        return email


class PasswordHintForm(ReauthForm):
    """A new password hint; the page checks on the device that it does not hold the password."""

    hint = hint_field(
        label="New password hint",
        help_text="Something that reminds only you of your password. Leave it empty to remove your hint.",
    )


CLOSE_PHRASE = "close my account"


class AccountCloseForm(ReauthForm):
    """Closing the account: a typed confirmation and the Account Password again."""

    wrong_password = "That password is not right. Your account is still open."

    confirmation = forms.CharField(
        label=f'Type "{CLOSE_PHRASE}" to confirm',
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].split()).casefold()
        if typed != CLOSE_PHRASE:
            raise forms.ValidationError(f'Type "{CLOSE_PHRASE}" exactly, to show you mean it.')
        return typed


PASSKEY_NAME_MAX_LENGTH = 100  # the page's input says so too (templates/mfa/_name_field.html)


def _passkey_name_checked(form) -> None:
    """A passkey's name is read back in the "second factor added" e-mail and the passkey list: one
    visible line, so that whoever adds a passkey cannot disguise the alert the owner gets."""
    field = form.fields["name"]
    field.max_length = PASSKEY_NAME_MAX_LENGTH
    field.validators = [
        *field.validators,
        MaxLengthValidator(PASSKEY_NAME_MAX_LENGTH),
        HiddenCharactersValidator("passkey name"),
    ]


class PasskeyAddForm(AddWebAuthnForm):
    """allauth's "add a passkey" form, with the name checked (settings MFA_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _passkey_name_checked(self)


class PasskeyRenameForm(EditWebAuthnForm):
    """allauth's "rename a passkey" form, with the name checked (settings MFA_FORMS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _passkey_name_checked(self)


SECOND_FACTOR_TOO_MANY = "Too many failed attempts. Wait a few minutes, then try again."


class PasskeyForm(forms.Form):
    """A passkey's answer to this page's challenge, outside allauth's sign-in (reset link, owner proof).

    static/js/second-factors.js asks the browser (allauth's WebAuthn script) and posts the result;
    `second_factors.passkey_check` verifies it with allauth, counts it in allauth's rate limit
    and records a wrong answer as a security event. Passing signs nobody in.
    """

    rejected = (
        "This passkey was not accepted: it is not a passkey of this account, or the check was "
        "interrupted. Try again, and choose this account's passkey when your browser asks."
    )

    credential = forms.JSONField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Your browser sent no passkey. Press the button and follow its steps.",
            "invalid": "Your browser's passkey answer could not be read. Try again.",
        },
    )

    def __init__(self, *args, request, user, purpose: str, origin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user, self.purpose, self.origin = request, user, purpose, origin

    def clean_credential(self):
        try:
            passed = passkey_check(
                self.request,
                self.user,
                self.cleaned_data["credential"],
                purpose=self.purpose,
                origin=self.origin,
            )
        except SecondFactorRateLimited:
            raise forms.ValidationError(SECOND_FACTOR_TOO_MANY, code="rate_limited") from None
        if not passed:
            raise forms.ValidationError(self.rejected, code="rejected")
        return True

    @property
    def rate_limited(self) -> bool:
        return self.has_error("credential", "rate_limited")


# What an empty code field says (allauth's fields say "This field is required.").
CODE_OR_RECOVERY_MISSING = (
    "Enter the 6-digit code your authenticator app shows, or one of your recovery codes."
)
APP_CODE_MISSING = "Enter the 6-digit code your authenticator app shows now."
RECOVERY_CODE_MISSING = "Enter one of your recovery codes."


class CodeMissingMixin:
    """A second-factor form whose empty `code` field says what to type (`code_missing`)."""

    code_missing = CODE_OR_RECOVERY_MISSING

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages = {
            **self.fields["code"].error_messages,
            "required": self.code_missing,
        }


class MfaAuthenticateForm(CodeMissingMixin, AllauthMfaAuthenticateForm):
    """allauth's sign-in code step (MFA_FORMS["authenticate"])."""


class MfaReauthenticateForm(CodeMissingMixin, AllauthMfaReauthenticateForm):
    """allauth's "Confirm it is you" with a code (MFA_FORMS["reauthenticate"])."""


class ActivateTotpForm(CodeMissingMixin, AllauthActivateTOTPForm):
    """allauth's authenticator-app set-up (MFA_FORMS["activate_totp"])."""

    code_missing = APP_CODE_MISSING


class AuthenticatorCodeForm(CodeMissingMixin, forms.Form):
    """The current code of the authenticator app (no recovery code), checked like `PasskeyForm`."""

    code_missing = APP_CODE_MISSING

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, request, user, origin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user, self.origin = request, user, origin

    def clean_code(self):
        code = self.cleaned_data["code"]
        try:
            passed = authenticator_code_check(self.request, self.user, code, origin=self.origin)
        except SecondFactorRateLimited:
            raise forms.ValidationError(SECOND_FACTOR_TOO_MANY, code="rate_limited") from None
        if not passed:
            raise forms.ValidationError(
                "This code is not right, or was already used. Type the code your app shows now.",
                code="rejected",
            )
        return code

    @property
    def rate_limited(self) -> bool:
        return self.has_error("code", "rate_limited")
