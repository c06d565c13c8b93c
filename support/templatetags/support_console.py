"""Template filters about the support console (e.g. whether to show its nav link)."""

from django import template

from support.permissions import can_use_console

register = template.Library()


@register.filter(name="can_use_console")
def can_use_console_filter(user) -> bool:
    """Return True if `user` may open the support console."""
    return can_use_console(user)
