"""Ticket e-mails through the real worker and a real SMTP server: confirmation, reply, link."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from mailer.models import OutboundEmail
from support.models import Ticket
from support.permissions import console_groups_ensure
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/help/tickets/\d+/link/[\w-]+/)", text).group(1)


def test_ticket_confirmation_and_agent_reply_through_the_worker(celery_worker, smtp_server):
    from django.core.cache import cache

    cache.clear()
    customer = Client()
    response = customer.post(
        reverse("help:ticket_new"),
        {
            "email": "worried@example.com",
            "category": "locked_out",
            "subject": "Lost my phone",
            "message": "I lost my only phone. Can I still get in? <script>alert(1)</script>",
            "website": "",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()

    [confirmation] = smtp_server.wait_for_messages(1, to="worried@example.com")
    assert confirmation["Subject"] == f"[Vault] We received your request {ticket.number}"
    html = confirmation.get_body(preferencelist=("html",)).get_content()
    assert ticket.number in html
    wait_for(
        lambda: OutboundEmail.objects.filter(kind="support.ticket_opened", status="sent").exists(),
        message="the confirmation marked sent",
    )

    groups = console_groups_ensure()
    agent = UserFactory(email="agent@staff.example", is_staff=True, second_factor=True)
    agent.groups.add(groups["agent"])
    console = Client()
    console.force_login(agent)
    console.post(reverse("support:ticket_note", args=[ticket.pk]), {"body": "INTERNAL only"})
    console.post(
        reverse("support:ticket_reply", args=[ticket.pk]),
        {"body": "Yes: sign in on a new device <b>with</b> your QR code."},
    )

    messages = smtp_server.wait_for_messages(2, to="worried@example.com")
    reply = messages[1]
    assert reply["Subject"] == f"[Vault] Re: Lost my phone ({ticket.number})"
    text = reply.get_body(preferencelist=("plain",)).get_content()
    html = reply.get_body(preferencelist=("html",)).get_content()
    assert "sign in on a new device" in text and "INTERNAL" not in text and "INTERNAL" not in html
    assert "&lt;b&gt;with&lt;/b&gt;" in html
    wait_for(
        lambda: OutboundEmail.objects.filter(kind="support.ticket_reply", status="sent").exists(),
        message="the reply marked sent",
    )

    # The customer follows the link in the reply and answers.
    landing = customer.get(_link(reply))
    assert landing.status_code == 302
    page = customer.get(landing["Location"]).content.decode()
    assert "sign in on a new device" in page and "INTERNAL" not in page
    assert customer.post(landing["Location"], {"body": "Thank you!"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "new"
