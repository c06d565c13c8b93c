"""Template filters for the support console (nav link, readable e-mail kinds)."""

from django import template

from mailer.registry import kind_label
from support.permissions import console_role

register = template.Library()


@register.filter(name="can_use_console")
def can_use_console_filter(user) -> bool:
    """True for support staff: the nav shows the console (which asks for a second factor first)."""
    return console_role(user)


@register.filter
def email_kind_label(kind: str) -> str:
    """The console label an app declared for an outbox e-mail kind (mailer/registry.py)."""
    return kind_label(kind)
