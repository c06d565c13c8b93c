"""An XSS corpus through the Markdown renderer: nothing executable survives, links are marked ugc."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forums.markdown import ALLOWED_TAGS, markdown_render

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](https://evil.example/track.png)",
    "![x](//evil.example/track.png)",
    '![x](/static/a.png" onerror="alert(1))',
    '[x](https://example.com "title" onclick=alert(1))',
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input name=p></form>",
    "<object data=x></object><embed src=x>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<!-- <script>alert(1)</script> -->",
    "[x]: javascript:alert(1)\n\n[link][x]",
    '<https://example.com/?q="><script>alert(1)</script>>',
    "<javascript:alert(1)>",
    "*<b onmouseover=alert(1)>x</b>*",
    "> <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    '[x](https://example.com/" onmouseover="alert(1))',
    "\x00<script>alert(1)</script>",
]


class _Elements(HTMLParser):
    """Collect the real elements and attributes of the output (escaped text is not markup)."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("text", CORPUS)
def test_nothing_executable_survives(text):
    html = markdown_render(text)
    _check(html)
    assert "<script" not in html.lower()


@pytest.mark.parametrize("text", CORPUS)
def test_only_our_own_images(text):
    for src in re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", markdown_render(text)):
        assert src.startswith("/") and not src.startswith("//")


def test_links_are_nofollow_ugc():
    html = markdown_render("See [the guide](https://example.com/guide) and <https://example.org>.")
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_our_own_images_are_kept_and_others_become_links():
    html = markdown_render("![logo](/static/img/favicon.svg) ![tracker](https://evil.example/t.png)")
    assert '<img src="/static/img/favicon.svg" alt="logo">' in html
    assert '<a href="https://evil.example/t.png" rel="nofollow ugc noopener">tracker</a>' in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;bold&lt;/b&gt;" in markdown_render("<b>bold</b>")


def test_markdown_still_works():
    html = markdown_render(
        "# Title\n\n**bold** _it_ ~~gone~~ `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    for tag in ("<h1>", "<strong>", "<em>", "<s>", "<code>", "<ul>", "<table>"):
        assert tag in html


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("<>\"'`![]()*_#-|:/\\=&;. \nabcjavscriptonerrohttpsdata%1")), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH | st.text(max_size=200))
def test_any_text_renders_to_allowed_markup_only(text):
    _check(markdown_render(text))


FORBIDDEN_ATTRIBUTES = ("style", "srcset", "xlink:href")


def _check(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, html
        assert not any(
            name.startswith("on") or name in ("style", "srcset", "xlink:href") for name in attrs
        ), html
        for name in ("href", "src"):
            url = (attrs.get(name) or "").strip().lower()
            assert not url or url.startswith(("http://", "https://", "mailto:", "/", "#")), html
