"""The API documentation pages: the walkthrough and error catalogue around Swagger UI, and the
protocol documents (docs/*.md) rendered in the portal's layout. Everything is served from our
own origin: Swagger UI's files come from drf-spectacular-sidecar (api/urls.py)."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from markdown_it import MarkdownIt

from ..error_codes import ERRORS, STATUSES

# The documents an app developer needs beside the reference: slug -> (file, title).
DOCUMENTS = {
    "auth-protocol": ("auth-protocol.md", "Zero-knowledge sign-in: the protocol"),
    "qr-format": ("qr-format.md", "The QR code: Encrypted Account Key format"),
}


@lru_cache(maxsize=8)
def _document_html(filename: str) -> str | None:
    path = Path(settings.BASE_DIR) / "docs" / filename
    if not path.is_file():
        return None
    # Our own repository's Markdown; raw HTML in it is not passed through.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text(encoding="utf-8"))
    # The documents link to each other by file name (as on GitHub): here, to each other's page.
    for slug, (other, _title) in DOCUMENTS.items():
        html = html.replace(f'href="{other}', f'href="{reverse("api:docs-document", args=[slug])}')
    # Wide code blocks scroll sideways: keyboard users must be able to reach them too.
    return html.replace("<pre>", '<pre tabindex="0">')


@require_GET
def docs_home(request):
    """The developer's page: walkthrough, error catalogue, then the interactive reference."""
    documents = [
        {"slug": slug, "title": title}
        for slug, (filename, title) in DOCUMENTS.items()
        if _document_html(filename) is not None
    ]
    return render(
        request,
        "api/docs.html",
        {
            "errors": ERRORS,
            "statuses": STATUSES,
            "documents": documents,
            "vault": {
                "page_size": settings.API_VAULT_PAGE_SIZE,
                "item_max_bytes": settings.API_VAULT_ITEM_MAX_BYTES,
                "max_items": settings.API_VAULT_MAX_ITEMS,
            },
        },
    )


@require_GET
def docs_document(request, slug: str):
    """One protocol document (docs/<slug>.md) as a page."""
    if slug not in DOCUMENTS:
        raise Http404
    filename, title = DOCUMENTS[slug]
    html = _document_html(filename)
    if html is None:
        raise Http404
    return render(request, "api/document.html", {"title": title, "body": mark_safe(html)})  # noqa: S308
