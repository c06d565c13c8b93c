"""Input of the chat endpoints (JSON bodies are validated through these forms)."""

from django import forms
from django.conf import settings

from core.hidden_characters import HiddenCharactersValidator
from support.forms import AuditReasonForm


class ChatStartForm(forms.Form):
    name = forms.CharField(
        max_length=settings.CHAT_NAME_MAX_CHARS, strip=True, validators=[HiddenCharactersValidator("name")]
    )
    email = forms.EmailField(required=False)


class ChatMessageForm(forms.Form):
    body = forms.CharField(max_length=settings.CHAT_MESSAGE_MAX_CHARS, strip=True)
    confirmed = forms.BooleanField(required=False)


class AvailabilityForm(forms.Form):
    """The agent's "available for chat" switch: {"available": true} or {"available": false}."""

    available = forms.NullBooleanField()

    def clean_available(self) -> bool:
        if self.cleaned_data["available"] is None:
            raise forms.ValidationError("Say true or false.")
        return self.cleaned_data["available"]


class ChatResetEmailForm(AuditReasonForm):
    """The agent's confirmation, on the chat's transcript page, before the reset e-mail goes out."""

    confirm = forms.BooleanField(
        label="The customer asked for it in this chat, and I want to send the reset e-mail now.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reset_%s")
        super().__init__(*args, **kwargs)
