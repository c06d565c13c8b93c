"""The e-mailed owner-proof code: the weakest path, used only when the account has no app or second factor.

The code is the kind's transient argument: it rides only in the send task's arguments (hidden
from logs), never in the outbox row, and the server keeps only its HMAC.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from mailer.models import OutboundEmail
from mailer.registry import email_kind
from mailer.rendering import email_message, email_render

from .services import CODE_EMAIL_KIND


@email_kind(CODE_EMAIL_KIND, label="Support identity check code", transient=("code",))
def owner_code_message(email: OutboundEmail, *, code: str) -> EmailMultiAlternatives:
    """The code and the page to type it on (or give it in the chat's proof box)."""
    link = settings.SITE_URL + reverse("proofs:answer", args=[email.context["proof"]])
    minutes = max(1, settings.OWNER_PROOF_TTL_SECONDS // 60)
    rendered = email_render(
        "proofs/email/owner_code", {**email.context, "code": code, "link": link, "minutes": minutes}
    )
    return email_message(to=email.to, rendered=rendered)
