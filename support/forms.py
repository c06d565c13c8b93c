"""Forms of the help pages and the console. Forms validate; services do the writing."""

from django import forms
from django.conf import settings

from accounts.models import License
from core.hidden_characters import HiddenCharactersValidator, hidden_characters_strip

from .models import Ticket, ticket_number_parse


class ConsoleSearchForm(forms.Form):
    q = forms.CharField(
        label="E-mail, account ID or ticket number",
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Type an e-mail address, an account ID or a ticket number like T-000123."
        },
    )


class TicketForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We answer at this address. Use the one of your account if you have one.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address: we answer there.",
            "invalid": "Enter a whole e-mail address, like name@example.com.",
        },
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=Ticket.Category.choices,
        error_messages={"required": "Choose what your request is about."},
    )
    subject = forms.CharField(
        label="Subject",
        max_length=settings.SUPPORT_SUBJECT_MAX_LENGTH,
        validators=[HiddenCharactersValidator("subject")],
        error_messages={"required": "Give your request a short subject."},
    )
    message = forms.CharField(
        label="Your message",
        max_length=settings.SUPPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Never write your Account Password, your hint or your recovery details here: "
            "we never need them and never ask for them."
        ),
        error_messages={"required": "Write your message: what happened, and what you have tried."},
    )
    # A field people do not see: bots that fill every field are turned away.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_message(self):
        message = hidden_characters_strip(self.cleaned_data["message"], multiline=True).strip()
        if len(message) < 10:
            raise forms.ValidationError("Please tell us a little more (at least 10 characters).")
        return message


def _message_body(label: str, *, rows: int = 6, help_text: str = "") -> forms.CharField:
    """The text of a ticket message (reply or note), at most SUPPORT_MESSAGE_MAX_LENGTH characters."""
    return forms.CharField(
        label=label,
        max_length=settings.SUPPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": "Write the message first."},
    )


class CustomerReplyForm(forms.Form):
    body = _message_body("Your reply")


class AgentReplyForm(forms.Form):
    body = _message_body(
        "Reply to the customer",
        help_text="E-mailed to the customer's address. Never ask for their password, hint or QR code.",
    )


class NoteForm(forms.Form):
    """Shown beside the reply form on the ticket page: own ids, so each label finds its textarea."""

    body = _message_body("Internal note", rows=4, help_text="Only the support team sees notes.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Ticket.Status.choices)
    assigned_to = forms.ModelChoiceField(
        label="Assigned to", queryset=None, required=False, empty_label="Nobody"
    )

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff_queryset
        self.fields["assigned_to"].label_from_instance = lambda user: user.email


class LicenseForm(forms.Form):
    plan = forms.ChoiceField(label="Plan", choices=License.Plan.choices)
    status = forms.ChoiceField(label="Status", choices=License.Status.choices)
    seats = forms.IntegerField(
        label="Seats",
        min_value=1,
        max_value=10_000,
        error_messages={
            "required": "Give the number of seats.",
            "min_value": "A licence has at least 1 seat.",
            "max_value": "At most %(limit_value)s seats.",
        },
    )
    expires_at = forms.DateTimeField(
        label="Expires (UTC)",
        required=False,
        help_text="Leave empty for a licence that does not expire. Format: 2027-01-31 23:59.",
        widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M"),
        error_messages={"invalid": "Write the date as 2027-01-31 23:59 (UTC), or leave it empty."},
    )
    reason = forms.CharField(
        label="Reason (kept in the licence history)",
        max_length=200,
        validators=[HiddenCharactersValidator("reason")],
        error_messages={"required": "Say why: the reason goes into the licence history."},
    )


class AuditReasonForm(forms.Form):
    """An agent's action that asks why: the reason goes to the support audit log only."""

    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="Kept in the support audit log, for the team. The customer does not see it.",
        validators=[HiddenCharactersValidator("reason")],
        error_messages={"required": "Say why: the team reads it in the audit log."},
    )


class ResetEmailForm(AuditReasonForm):
    """The console's confirmation before a reset e-mail goes to the owner's own address."""

    ticket = forms.CharField(
        label="Ticket (optional)",
        required=False,
        max_length=20,
        help_text="For example T-000123. The customer sees this number with the e-mail.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    confirm = forms.BooleanField(
        label="I checked who I am talking to, and I want to send the reset e-mail now.",
        error_messages={"required": "Tick this box once you have checked who you are talking to."},
    )

    def clean_ticket(self) -> Ticket | None:
        value = self.cleaned_data["ticket"].strip()
        if not value:
            return None
        pk = ticket_number_parse(value)
        ticket = Ticket.objects.filter(pk=pk).first() if pk is not None else None
        if ticket is None:
            raise forms.ValidationError("There is no ticket with this number. Leave it empty or check it.")
        return ticket


class CloseAccountForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        validators=[HiddenCharactersValidator("reason")],
        error_messages={"required": "Say why: the team reads it in the audit log."},
    )
    confirm = forms.BooleanField(
        label="I understand that the customer can no longer sign in and every app is signed out.",
        error_messages={"required": "Tick this box to confirm that the account should be closed."},
    )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label="Was this helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label="How can we improve this article?",
        required=False,
        max_length=settings.SUPPORT_FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self) -> str:
        return hidden_characters_strip(self.cleaned_data["comment"], multiline=True).strip()
