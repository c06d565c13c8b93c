"""The outbox's own kind: a test message whose text is given when it is queued.

It carries no secret and needs no model, so it is what the tests send, and what an
operator queues to check a transport from `manage.py shell`:

    email_queue(to="me@example.com", kind=TEST_KIND, context={"subject": "Hi", "text": "Hi\n"})

It is also the smallest declaration to copy (see mailer/registry.py for every option).
"""

from django.utils.html import linebreaks

from .models import OutboundEmail
from .registry import email_kind
from .rendering import RenderedEmail, email_message

TEST_KIND = "mailer.test_message"


@email_kind(TEST_KIND, label="Test message", keep_body=True)
def test_message_render(email: OutboundEmail):
    context = email.context or {}
    text = context.get("text", "")
    # Every e-mail has both parts: without an HTML part of its own, the text is its HTML.
    html = context.get("html") or linebreaks(text.strip(), autoescape=True)
    rendered = RenderedEmail(subject=context.get("subject", ""), text=text, html=html)
    return email_message(to=email.to, rendered=rendered)
