"""Template filters for the support console (nav link, readable e-mail kinds)."""

from django import template

from support.permissions import can_use_console

register = template.Library()

EMAIL_KIND_LABELS = {
    "support_ticket_opened": "Ticket confirmation",
    "support_ticket_reply": "Ticket reply",
    "resets:reset_request": "Reset link",
    "resets:reset_link": "Reset link",
    "resets:password_hint": "Password hint",
    "resets:reset_completed": "Reset confirmation",
    "allauth:email_confirmation_signup": "Address verification (sign-up)",
    "allauth:email_confirmation": "Address verification",
    "allauth:account_already_exists": "Sign-up attempt on an existing account",
    "chat_transcript": "Chat transcript",
}


@register.filter(name="can_use_console")
def can_use_console_filter(user) -> bool:
    """Return True if `user` may open the support console."""
    return can_use_console(user)


@register.filter
def email_kind_label(kind: str) -> str:
    """Return a readable name for an outbox e-mail kind (e.g. "resets:reset_link" -> "Reset link")."""
    return EMAIL_KIND_LABELS.get(kind) or kind.rsplit(":", 1)[-1].replace("_", " ").capitalize()
