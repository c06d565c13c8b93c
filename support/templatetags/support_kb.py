"""Render knowledge-base text: plain text in, escaped HTML with headings, lists and paragraphs out."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..search import MARK_END, MARK_START

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


@register.filter
def search_excerpt(text: str) -> str:
    """An excerpt from search: every character escaped, then the matched words put in <mark>."""
    html = escape(text or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):  # a cut fragment: drop the marks rather than guess
        html = html.replace("<mark>", "").replace("</mark>", "")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added
