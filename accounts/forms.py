"""Web forms of the customer account (allauth's sign-up form, extended with a hint)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from .passwords import HINT_MAX_LENGTH, hint_validate


class SignupForm(AllauthSignupForm):
    """Sign-up: e-mail, password twice, and an optional password hint."""

    password_hint = forms.CharField(
        label="Password hint (optional)",
        max_length=HINT_MAX_LENGTH,
        required=False,
        help_text="We can e-mail this to you if you forget your password. It must not contain the password.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["email", "password1", "password2", "password_hint"]

    def clean(self):
        cleaned = super().clean()
        hint = cleaned.get("password_hint", "")
        password = cleaned.get("password1", "") or self.data.get("password1", "")
        try:
            hint_validate(hint=hint, password=password)
        except forms.ValidationError as error:
            self.add_error("password_hint", error)
            # The refused hint holds the password: never render it back into the page.
            self.data = self.data.copy()
            self.data["password_hint"] = ""
        return cleaned


AUTH_KEY_MISSING = (
    "Your browser did not protect the password before sending it. "
    "Turn on JavaScript for this site and try again."
)


class EmailChangeForm(forms.Form):
    """A new address, and the Account Password again (as the auth key derived on the device).

    The password input has no name: the page script (`data-zk="reauth"`) derives the auth
    key from it and fills the hidden `auth_key` field; the password itself is never sent.
    """

    new_email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link to this address. Nothing changes until you open it.",
    )
    auth_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError("This is already your account's e-mail address.")
        return email

    def clean(self):
        cleaned = super().clean()
        auth_key = cleaned.get("auth_key") or ""
        if not auth_key:
            raise forms.ValidationError(AUTH_KEY_MISSING)
        if not self.user.check_password(auth_key):
            raise forms.ValidationError("That password is not right. Nothing was changed.")
        return cleaned
