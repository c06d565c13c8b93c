"""Forum forms: sizes, refusals (QR payloads) and the "this looks private" warning to confirm."""

import re

from django import forms
from django.conf import settings

from core.hidden_characters import HiddenCharactersValidator, hidden_characters_strip

from .models import Category, Flag
from .safety import text_refusal, text_warnings

DISPLAY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$")


def _clean_text(value: str) -> str:
    """A post or a note as stored: without the controls that could reorder the page around it."""
    return hidden_characters_strip(value, multiline=True)


class _PrivacyCheckedForm(forms.Form):
    """A form whose text is checked for secrets: refused outright, or warned about until confirmed."""

    confirm_private = forms.BooleanField(
        required=False,
        label="I have checked: my post holds no password, account ID or e-mail address I want kept private.",
    )
    checked_fields: tuple[str, ...] = ("body",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.privacy_warnings: list[str] = []

    def clean(self):
        cleaned = super().clean()
        text = "\n".join(cleaned.get(name) or "" for name in self.checked_fields)
        refusal = text_refusal(text)
        if refusal:
            raise forms.ValidationError(refusal, code="refused")
        warnings = text_warnings(text)
        if warnings and not cleaned.get("confirm_private"):
            self.privacy_warnings = warnings
            raise forms.ValidationError(
                "This is a public forum: check your post before it goes out.", code="private"
            )
        return cleaned


def _body_field() -> forms.CharField:
    return forms.CharField(
        label="Your message",
        min_length=settings.FORUMS_POST_MIN_CHARS,
        max_length=settings.FORUMS_POST_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown works: **bold**, lists, `code`, [links](https://example.com). No HTML.",
        error_messages={
            "required": "Write your message.",
            "min_length": "Write a little more: at least %(limit_value)d characters.",
        },
    )


class TopicForm(_PrivacyCheckedForm):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), empty_label=None)
    title = forms.CharField(
        min_length=settings.FORUMS_TITLE_MIN_CHARS,
        max_length=settings.FORUMS_TITLE_MAX_CHARS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        validators=[HiddenCharactersValidator("title")],
        help_text="Say what you need in one sentence, e.g. “Sync stops after I update the iPhone app”.",
        error_messages={
            "required": "Give your question a title.",
            "min_length": "Make the title a little longer: at least %(limit_value)d characters.",
        },
    )
    body = _body_field()
    checked_fields = ("title", "body")

    field_order = ["category", "title", "body", "confirm_private"]

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else Category.objects.all()

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        return _clean_text(self.cleaned_data["body"])


class ReplyForm(_PrivacyCheckedForm):
    body = _body_field()

    def clean_body(self):
        return _clean_text(self.cleaned_data["body"])


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are telling the moderators about this post."},
    )
    note = forms.CharField(
        required=False,
        max_length=settings.FORUMS_FLAG_NOTE_MAX_CHARS,
        label="Anything the moderators should know (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return _clean_text(self.cleaned_data["note"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Public name",
        max_length=30,
        help_text="3 to 30 letters, digits, dots, dashes or underscores. Shown on your posts instead of "
        "your e-mail address.",
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not DISPLAY_NAME.match(name):
            raise forms.ValidationError("Use 3 to 30 letters, digits, dots, dashes or underscores.")
        if name.lower().startswith(("team", "vault", "staff", "admin", "support", "moderator")):
            raise forms.ValidationError("This name is kept for the Vault team. Please choose another.")
        return name


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the forums", max_length=settings.FORUMS_SEARCH_MAX_CHARS, required=False
    )

    def clean_q(self):
        return hidden_characters_strip(" ".join(self.cleaned_data["q"].split()))


class SuspendForm(forms.Form):
    days = forms.IntegerField(min_value=0, max_value=365, label="Days (0 lifts a suspension)")
    reason = forms.CharField(max_length=300, required=False, validators=[HiddenCharactersValidator("reason")])


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.all(), empty_label=None)
