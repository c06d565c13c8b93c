"""Template filters for the support console (nav link, readable e-mail kinds)."""

from django import template

from core import useragents
from mailer.registry import kind_label
from support.models import ticket_number_format
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


@register.filter
def user_agent_label(user_agent: str) -> str:
    """A User-Agent header as "Chrome on macOS" (core.useragents)."""
    return useragents.user_agent_label(user_agent or "")


@register.filter
def ticket_number(pk) -> str:
    """A ticket id as customers and agents quote it (T-000123)."""
    return ticket_number_format(int(pk)) if pk else ""
