"""Render an e-mail's subject, plain-text part and HTML part from one template prefix."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or text part is not HTML, and
    "Tom &amp; Jerry" would reach the reader as written. Only the HTML part escapes."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def email_render(template_prefix: str, context: dict) -> RenderedEmail:
    """Render `<prefix>_subject.txt`, `<prefix>_message.txt` and `<prefix>_message.html`."""
    ctx = {"PRODUCT_NAME": settings.PRODUCT_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(_plain_text(f"{template_prefix}_subject.txt", ctx).split())
    text = _plain_text(f"{template_prefix}_message.txt", ctx).strip() + "\n"
    html = render_to_string(f"{template_prefix}_message.html", ctx)
    return RenderedEmail(subject=subject, text=text, html=html)


def email_message(*, to: str, rendered: RenderedEmail, headers: dict | None = None) -> EmailMultiAlternatives:
    """Build a two-part (text + HTML) message from a rendered e-mail."""
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
