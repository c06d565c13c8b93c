"""Input of the chat endpoints (JSON bodies are validated through these forms)."""

from django import forms
from django.conf import settings


class ChatStartForm(forms.Form):
    name = forms.CharField(max_length=settings.CHAT_NAME_MAX_CHARS, strip=True)
    email = forms.EmailField(required=False)


class ChatMessageForm(forms.Form):
    body = forms.CharField(max_length=settings.CHAT_MESSAGE_MAX_CHARS, strip=True)
    confirmed = forms.BooleanField(required=False)
