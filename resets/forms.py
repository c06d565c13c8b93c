"""Forms of the reset pages: they validate, nothing else."""

from django import forms

from accounts.passwords import HINT_MAX_LENGTH, hint_validate, password_validate


class AccountEmailForm(forms.Form):
    """The one field of the notice page (reset request and hint request)."""

    email = forms.EmailField(
        label="Your account e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ResetCompleteForm(forms.Form):
    """New password twice, a new hint, and an explicit confirmation that the vault is erased."""

    password1 = forms.CharField(
        label="New Account Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "At least 10 characters, not a common password. You may enter your previous password "
            "again if you only lost your QR code."
        ),
    )
    password2 = forms.CharField(
        label="New Account Password, again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    hint = forms.CharField(
        label="New password hint (optional)",
        max_length=HINT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="We can e-mail this to you if you forget your password. It must not contain the password.",
    )
    confirm_email = forms.EmailField(
        label="Type your account e-mail address to confirm",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    confirm_erase = forms.BooleanField(
        label="I understand that my vault will be erased, here and in all my apps, and cannot be recovered.",
        required=True,
        error_messages={"required": "Tick this box to confirm that you want your vault erased."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        password_validate(password=password, user=self.user)
        return password

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
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match. Type the same password twice.")
        # Checked against the typed password even when it was refused as weak.
        typed = password1 or self.data.get("password1", "")
        if typed:
            try:
                hint_validate(hint=cleaned.get("hint", ""), password=typed)
            except forms.ValidationError as error:
                self.add_error("hint", error)
                # The refused hint holds the password: never render it back into the page.
                self.data = self.data.copy()
                self.data["hint"] = ""
        return cleaned
