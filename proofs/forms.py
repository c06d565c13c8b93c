from django import forms


class ProofCodeForm(forms.Form):
    """The code e-mailed to the account's address (the weakest path)."""

    code = forms.CharField(
        label="The code we e-mailed to you",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
