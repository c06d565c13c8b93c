"""Render knowledge-base text: plain text in, escaped HTML with headings, lists and paragraphs out."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_HEADING_MAX = 60
_NUMBERED = re.compile(r"^\d+\.\s")


def _block_html(block: str) -> str:
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if len(lines) == 1 and len(lines[0]) <= _HEADING_MAX and not lines[0].endswith((".", ":", "?", "!")):
        return f"<h2>{escape(lines[0])}</h2>"
    return f"<p>{'<br>'.join(escape(line) for line in lines)}</p>"


@register.filter
def article_body(text: str) -> str:
    """Turn an article's plain text into HTML; every character of the text is escaped first.

    Blank lines separate blocks; a short block without final punctuation is a heading;
    a block of "- " lines is a list; numbered steps ("1. ...") stay paragraphs.
    """
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return mark_safe("\n".join(_block_html(block) for block in blocks))  # noqa: S308 - escaped above
