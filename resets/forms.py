"""Forms of the reset pages: they validate, nothing else."""

from allauth.mfa.base.forms import BaseAuthenticateForm
from django import forms

from accounts.forms import CODE_OR_RECOVERY_MISSING, RECOVERY_CODE_MISSING, AuthKeyMixin, CodeMissingMixin
from accounts.passwords import HINT_MAX_LENGTH


class AccountEmailForm(forms.Form):
    """The one field of the notice page (reset request and hint request)."""

    email = forms.EmailField(
        label="Your account e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address of your account.",
            "invalid": "Enter a whole e-mail address, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ResetCompleteForm(AuthKeyMixin, forms.Form):
    """The new auth key with its salt and parameters, a new hint, and an explicit confirmation.

    The new password itself never reaches the server: the page (static/js/zk.js) checks it on
    the device (length, strength, typed twice, not in the hint) and derives the auth key with a
    fresh salt. The same password as before is fine: a new salt gives a new auth key.
    """

    with_kdf = True

    hint = forms.CharField(
        label="New password hint (optional)",
        max_length=HINT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-zk-hint": ""}),
        help_text="We can e-mail this to you if you forget your password. It must not contain the password.",
    )
    confirm_email = forms.EmailField(
        label="Type your account e-mail address to confirm",
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "off",
                "data-zk-required": "Type the e-mail address of the account to confirm.",
            }
        ),
    )
    confirm_erase = forms.BooleanField(
        label="I understand that my vault will be erased, here and in all my apps, and cannot be recovered.",
        required=True,
        error_messages={"required": "Tick this box to confirm that you want your vault erased."},
        widget=forms.CheckboxInput(
            attrs={"data-zk-required": "Tick this box to confirm that you want your vault erased."}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self._auth_key_setup()

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                "This is not the e-mail address of the account being reset. "
                "Type it exactly as in the e-mail you received."
            )
        return typed

    def clean(self):
        cleaned = super().clean()
        self._auth_key_clean()
        return cleaned


class ResetSecondFactorForm(CodeMissingMixin, BaseAuthenticateForm):
    """The reset link's second-factor step: an authenticator code or a recovery code (`app=False`:
    an account whose only factor is a passkey still has its recovery codes). A passkey is
    `accounts.forms.PasskeyForm`.

    allauth's own check: wrong codes count in its rate limit (per user), a used code or
    recovery code is refused, and a failure fires its signal (a security event). Unlike the
    sign-in step it records no authentication: passing it signs nobody in.
    """

    def __init__(self, *args, app: bool = True, **kwargs):
        self.code_missing = CODE_OR_RECOVERY_MISSING if app else RECOVERY_CODE_MISSING
        super().__init__(*args, **kwargs)
        self.fields["code"].label = (
            "Code from your authenticator app, or a recovery code" if app else "One of your recovery codes"
        )
        self.fields["code"].widget.attrs.update(
            {"inputmode": "text", "autocapitalize": "off", "spellcheck": "false"}
        )
