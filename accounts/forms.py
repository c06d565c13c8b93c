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
