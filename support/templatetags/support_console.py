"""Template filters for the support console (nav link, readable e-mail kinds)."""

from django import template

from support.permissions import can_use_console

register = template.Library()

EMAIL_KIND_LABELS = {
    "support_ticket_opened": "Ticket confirmation",
    "support_ticket_reply": "Ticket reply",
}


@register.filter(name="can_use_console")
def can_use_console_filter(user) -> bool:
    """Return True if `user` may open the support console."""
    return can_use_console(user)


@register.filter
def email_kind_label(kind: str) -> str:
    """Return a readable name for an outbox e-mail kind (e.g. "reset_link" -> "Reset link")."""
    return EMAIL_KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()
