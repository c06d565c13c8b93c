"""Replies by e-mail: the reply address, the one service, the Mailgun webhook and the SMTP listener."""

import base64
import hashlib
import hmac
import importlib
import smtplib
import socket
import time
from email.message import EmailMessage

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import portal.urls
from mailer.models import OutboundEmail
from mailer.services import email_queue
from support.inbound import inbound_smtp_controller
from support.models import Ticket
from support.services.tickets import (
    EMAIL_TICKET_OPENED,
    InboundOutcome,
    reply_text_extract,
    ticket_reply_inbound,
)
from support.tests.factories import TicketFactory
from support.tokens import reply_address, reply_token_from_address, reply_token_hash, reply_token_make

QUOTED = """Thanks, the new phone works now.

Best regards,
Ann
--
Ann Example
Sent from my phone

On Tue, 3 Mar 2026 at 10:00, Vault <no-reply@vault.example> wrote:
> We answered your request T-000001
> Try signing in on the new phone.
"""


def _refusals():
    return list(OutboundEmail.objects.filter(kind="support.inbound_refused"))


def _reply(ticket, **overrides):
    kwargs = {
        "recipients": [reply_address(ticket)],
        "sender": ticket.email,
        "subject": "Re: x",
        "text": QUOTED,
    }
    return ticket_reply_inbound(**{**kwargs, **overrides})


# --- the reply address ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_is_stored_only_as_its_hash():
    ticket = TicketFactory()
    token = reply_token_make(ticket_id=ticket.pk, reply_nonce=ticket.reply_nonce)
    assert ticket.reply_token_hash == hashlib.sha256(token.encode()).hexdigest() == reply_token_hash(token)
    assert token not in str(Ticket.objects.filter(pk=ticket.pk).values().get())
    assert reply_token_from_address(reply_address(ticket).upper()) == token  # case folded by a server
    assert reply_token_from_address(f"support+{token}@vault.example") is None
    assert reply_token_from_address("reply+short@vault.example") is None


@pytest.mark.django_db
def test_ticket_e_mails_carry_the_reply_address(client, django_capture_on_commit_callbacks, settings):
    settings.SUPPORT_REPLY_DOMAIN = "reply.vault.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("help:ticket_new"),
            {"email": "a@example.com", "category": "other", "subject": "Hi", "message": "Long enough text."},
        )
    ticket = Ticket.objects.get()
    [message] = mail.outbox
    assert message.extra_headers["Reply-To"] == reply_address(ticket)
    assert reply_address(ticket).endswith("@reply.vault.example")
    assert ticket.reply_token_hash == reply_token_hash(reply_token_from_address(reply_address(ticket)))


# --- the service ----------------------------------------------------------------------------


def test_the_parser_strips_quotes_and_signature():
    assert reply_text_extract(text=QUOTED) == "Thanks, the new phone works now."
    assert reply_text_extract(text="", html="<p>Only <b>HTML</b></p>") == "Only HTML"


@pytest.mark.django_db
def test_a_reply_is_added_to_its_ticket_without_the_quoted_history(agent):
    ticket = TicketFactory(status=Ticket.Status.WAITING)
    assert _reply(ticket) == InboundOutcome.ADDED
    last = ticket.messages.order_by("-id").first()
    assert last.kind == "customer" and last.body == "Thanks, the new phone works now."
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW  # back in the agents' queue
    assert _refusals() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "outcome"),
    [
        ("forged", InboundOutcome.UNKNOWN),
        ("no_token", InboundOutcome.UNKNOWN),
        ("closed", InboundOutcome.CLOSED),
        ("too_large", InboundOutcome.TOO_LARGE),
        ("too_long", InboundOutcome.TOO_LARGE),
        ("only_quote", InboundOutcome.EMPTY),
    ],
)
def test_refused_replies_add_nothing_and_get_a_polite_answer(
    case, outcome, django_capture_on_commit_callbacks
):
    ticket = TicketFactory()
    kwargs = {}
    if case == "forged":
        kwargs["recipients"] = ["reply+" + "a" * 32 + "@reply.vault.example"]
    elif case == "no_token":
        kwargs["recipients"] = ["support@vault.example"]
    elif case == "closed":
        Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SOLVED)
    elif case == "too_large":
        kwargs["size"] = 10_000_000
    elif case == "too_long":
        kwargs["text"] = "word " * 2000
    elif case == "only_quote":
        kwargs["text"] = "On Tue, 3 Mar 2026 at 10:00, Vault wrote:\n> earlier\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert _reply(ticket, **kwargs) == outcome
    assert ticket.messages.count() == 1
    [row] = _refusals()
    assert row.to == ticket.email and row.context["reason"] == str(outcome)
    [message] = mail.outbox
    assert message.subject.startswith("[") and "not added" in message.subject
    assert message.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "Nothing was changed" in message.body and "/help/contact/" in message.body


@pytest.mark.django_db
def test_auto_replies_and_senderless_mail_are_ignored_silently():
    ticket = TicketFactory()
    assert _reply(ticket, auto_submitted=True) == InboundOutcome.IGNORED
    assert _reply(ticket, sender="") == InboundOutcome.IGNORED
    assert ticket.messages.count() == 1 and _refusals() == []


@pytest.mark.django_db
def test_rate_limits_per_sender_and_refusals_per_sender(settings):
    settings.SUPPORT_INBOUND_RATE_PER_SENDER = "2/h"
    settings.SUPPORT_INBOUND_REFUSAL_RATE_PER_SENDER = "1/h"
    ticket = TicketFactory()
    outcomes = [_reply(ticket, text=f"Message number {n}") for n in range(4)]
    assert outcomes == [InboundOutcome.ADDED] * 2 + [InboundOutcome.RATE_LIMITED] * 2
    assert ticket.messages.count() == 3
    assert len(_refusals()) == 1  # one polite answer an hour, however many e-mails: no mail loops


# --- production: the Mailgun inbound webhook (anymail) ---------------------------------------

SIGNING_KEY = "test-mailgun-signing-key"
BASIC = ("hook", "hook-secret")


@pytest.fixture
def mailgun_inbound():
    with override_settings(
        INBOUND_EMAIL_WEBHOOK=True,
        ANYMAIL={"WEBHOOK_SECRET": ":".join(BASIC), "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY},
    ):
        importlib.reload(portal.urls)
        clear_url_caches()
        yield reverse("anymail:mailgun_inbound_webhook")
    importlib.reload(portal.urls)
    clear_url_caches()


def _mailgun_post(client, url, ticket, *, key=SIGNING_KEY, auth=BASIC, text=QUOTED):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    raw = EmailMessage()
    raw["From"] = f"Ann <{ticket.email}>"
    raw["To"] = reply_address(ticket)
    raw["Subject"] = "Re: help"
    raw.set_content(text)
    data = {
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
        "recipient": reply_address(ticket),
        "sender": ticket.email,
        "body-mime": raw.as_string(),
    }
    credentials = base64.b64encode(":".join(auth).encode()).decode()
    return client.post(url, data, HTTP_AUTHORIZATION=f"Basic {credentials}")


@pytest.mark.django_db
def test_webhook_with_a_good_signature_adds_the_reply(client, mailgun_inbound):
    assert mailgun_inbound == "/anymail/mailgun/inbound/"
    ticket = TicketFactory()
    response = _mailgun_post(client, mailgun_inbound, ticket)
    assert response.status_code == 200
    assert ticket.messages.order_by("-id").first().body == "Thanks, the new phone works now."


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["signature", "basic_auth"])
def test_webhook_with_a_bad_signature_or_password_adds_nothing(client, mailgun_inbound, bad):
    ticket = TicketFactory()
    kwargs = {"key": "not-the-key"} if bad == "signature" else {"auth": ("hook", "wrong")}
    response = _mailgun_post(client, mailgun_inbound, ticket, **kwargs)
    assert response.status_code in (400, 401, 403)
    assert ticket.messages.count() == 1 and _refusals() == []


# --- embedded default: the local SMTP listener (real aiosmtpd on loopback) -------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def listener():
    port = _free_port()
    controller = inbound_smtp_controller(hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def _smtp_send(port, *, to, sender, text):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: [Vault] We answered your request"
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        return smtp.send_message(message)


@pytest.mark.django_db(transaction=True)
def test_a_reply_sent_through_the_listener_lands_on_the_ticket(listener):
    ticket = TicketFactory(status=Ticket.Status.WAITING)
    _smtp_send(listener, to=reply_address(ticket), sender=ticket.email, text=QUOTED)
    last = ticket.messages.order_by("-id").first()
    assert last.kind == "customer" and last.body == "Thanks, the new phone works now."
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


@pytest.mark.django_db(transaction=True)
def test_the_listener_refuses_other_addresses_and_answers_forged_tokens(listener):
    ticket = TicketFactory()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _smtp_send(listener, to="postmaster@vault.example", sender=ticket.email, text="hello there")
    _smtp_send(listener, to="reply+" + "b" * 32 + "@x.example", sender=ticket.email, text="hello there")
    assert ticket.messages.count() == 1
    [row] = _refusals()
    assert row.context["reason"] == "unknown"


@pytest.fixture
def dev_outbox(settings, tmp_path, listener):
    """The embedded default's mail set-up: e-mails in a folder, the outbox pages, the listener."""
    settings.EMAIL_BACKEND = "mailer.backends.OutboxFolderBackend"
    settings.EMAIL_OUTBOX_DIR = tmp_path
    settings.INBOUND_SMTP_PORT = listener
    with override_settings(DEBUG=True):
        importlib.reload(portal.urls)
        clear_url_caches()
        yield tmp_path
    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.mark.django_db(transaction=True)
def test_the_dev_outbox_reply_form_goes_through_the_listener(dev_outbox, client):
    """The developer's path: a ticket e-mail in var/mail/, answered from its outbox page."""
    ticket = TicketFactory()
    email_queue(to=ticket.email, kind=EMAIL_TICKET_OPENED, account=None, context={"ticket_id": ticket.pk})
    [name] = [p.name for p in dev_outbox.glob("*.eml")]
    page = client.get(reverse("mailer:outbox_detail", args=[name])).content.decode()
    assert reply_address(ticket) in page and "Send the reply" in page
    assert page.count("Send the reply") == 1  # once, in the page (never in its <title>)
    response = client.post(reverse("mailer:outbox_reply", args=[name]), {"body": "Replying from the outbox."})
    assert response.status_code == 302
    assert ticket.messages.order_by("-id").first().body == "Replying from the outbox."
