"""Safe Markdown: CommonMark without raw HTML, then an allow-list sanitiser as a second line.

Links get `rel="nofollow ugc noopener"`; only http, https and mailto URLs survive; an image is
shown only when its URL is on our own origin (a path such as `/static/...`), any other image
becomes a plain link to it. No style attributes (table alignment is dropped): the CSP
refuses inline styles anyway.
"""

from html import escape

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _own_origin(url: str) -> bool:
    """A same-origin path: starts with one slash (not `//host`, not a scheme, not a backslash trick)."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _image(renderer, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = "".join(child.content for child in token.children or [])
    if _own_origin(src):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    return f'<a href="{escape(src)}">{escape(alt or src)}</a>'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _image)
    return md


_md = _parser()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _own_origin(value):
        return None
    return value


def markdown_render(text: str) -> str:
    """Return the post `text` (Markdown) as sanitised HTML, safe to show to anybody."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
