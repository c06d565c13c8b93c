"""Template filters of the API documentation page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_CODE = re.compile(r"`([^`]+)`")


@register.filter
def inline_code(text: str) -> str:
    """Escape `text` and show its `backquoted` parts as code (the catalogue is written in Markdown)."""
    return mark_safe(_CODE.sub(r"<code>\1</code>", escape(text)))  # noqa: S308
