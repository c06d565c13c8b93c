"""Tickets: opening, confirmation, agent replies, notes, the customer's link, and abuse limits."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import AccountFactory, UserFactory
from mailer.models import OutboundEmail
from support.models import Ticket, TicketMessage
from support.services import tickets as tickets_services
from support.tests.factories import TicketFactory
from support.tokens import ticket_link_token

pytestmark = pytest.mark.django_db

FORM = {
    "email": "Asker@Example.com",
    "category": "locked_out",
    "subject": "I cannot unlock my vault",
    "message": "My phone broke and I forgot the password. What can I do?",
    "website": "",
}
INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="https://evil.example">click</a>'


def _open(client, **overrides):
    return client.post(reverse("help:ticket_new"), {**FORM, **overrides})


def _link(message) -> str:
    return re.search(r"http://[^/\s]+(/help/tickets/\d+/link/[\w-]+/)", message.body).group(1)


def test_help_pages_link_kb_ticket_form_and_reset_notice(client):
    body = client.get(reverse("help:home")).content.decode()
    assert reverse("help:ticket_new") in body and reverse("resets:notice") in body
    assert reverse("help:article", args=["account-reset"]) in body


def test_anonymous_customer_opens_a_ticket_and_gets_its_number(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _open(client)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.email == "asker@example.com" and ticket.account is None and ticket.status == "new"
    assert ticket.messages.get().body == FORM["message"]
    sent = client.get(response["Location"]).content.decode()
    assert ticket.number in sent
    [message] = mail.outbox
    assert message.to == ["asker@example.com"]
    assert ticket.number in message.subject
    html = message.alternatives[0][0]
    assert ticket.number in html and _link(message) in html
    row = OutboundEmail.objects.get(kind="support.ticket_opened")
    assert row.status == "sent" and row.text_body == "" and row.context == {"ticket_id": ticket.pk}


def test_signed_in_customer_ticket_is_linked_to_their_account(client, customer_account):
    client.force_login(customer_account.user)
    assert b"someone@example.com" in client.get(reverse("help:ticket_new")).content
    _open(client, email="someone@example.com")
    assert Ticket.objects.get().account == customer_account


def test_ticket_for_another_address_is_not_linked_to_the_signed_in_account(client, customer_account):
    client.force_login(customer_account.user)
    _open(client, email="other@example.com")
    assert Ticket.objects.get().account is None


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"subject": "x" * 201}, b"at most 200"),
        ({"message": "y" * 5001}, b"at most 5000"),
        ({"message": "short"}, b"a little more"),
        ({"email": "not-an-address"}, b"like name@example.com"),
    ],
)
def test_size_and_shape_limits(client, overrides, error):
    response = _open(client, **overrides)
    assert response.status_code == 200 and error in response.content
    assert not Ticket.objects.exists()


def test_a_subject_with_hidden_characters_is_refused_with_a_message(client):
    """Agents read subjects in the queue: a text-direction override would reorder the row around it."""
    response = _open(client, subject="Refund \u202e\u2066 ASAP")
    assert response.status_code == 200
    assert b"The subject holds invisible formatting characters" in response.content
    assert not Ticket.objects.exists()


def test_a_subject_in_any_script_is_kept(client):
    assert _open(client, subject="לא מצליח לפתוח 🔐").status_code == 302
    assert Ticket.objects.get().subject == "לא מצליח לפתוח 🔐"


def test_every_ticket_message_loses_the_controls_that_reorder_text(
    client, agent, client_for, django_capture_on_commit_callbacks
):
    """The opening message, the customer's reply, the agent's reply and note, and an e-mailed
    reply: bidi overrides and isolates go, line breaks and right-to-left marks stay."""
    with django_capture_on_commit_callbacks(execute=True):
        _open(client, message="Open \u202eme\u202c please\r\nשלום\u200f!")
    ticket = Ticket.objects.get()
    for action in ("support:ticket_reply", "support:ticket_note"):
        client_for(agent).post(reverse(action, args=[ticket.pk]), {"body": "Agent \u2067text\u2069"})
    customer = type(client)()
    customer.get(_link(mail.outbox[0]))
    customer.post(reverse("help:ticket", args=[ticket.pk]), {"body": "Reply \ufeff\u202dhere"})
    tickets_services.ticket_customer_reply(ticket=ticket, body="By e-mail \u202b\x1bthanks")
    assert list(ticket.messages.order_by("pk").values_list("body", flat=True)) == [
        "Open me please\nשלום\u200f!",
        "Agent text",
        "Agent text",
        "Reply here",
        "By e-mail thanks",
    ]


def test_honeypot_field_filled_by_a_bot_creates_nothing(client):
    response = _open(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Ticket.objects.exists()


def test_rate_limit_per_address(client, settings):
    settings.SUPPORT_TICKET_RATE_PER_EMAIL = "2/h"
    for i in range(2):
        assert client.post(reverse("help:ticket_new"), FORM, REMOTE_ADDR=f"10.0.0.{i}").status_code == 302
    response = client.post(reverse("help:ticket_new"), FORM, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"wait an hour" in response.content
    assert Ticket.objects.count() == 2


def test_rate_limit_per_ip(client, settings):
    settings.SUPPORT_TICKET_RATE_PER_IP = "3/h"
    for i in range(3):
        assert _open(client, email=f"a{i}@example.com").status_code == 302
    assert _open(client, email="a9@example.com").status_code == 429
    assert Ticket.objects.count() == 3


def test_html_in_ticket_text_is_rendered_inert(client, agent, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _open(client, subject=f"Help {INJECTION}"[:200], message=f"Hello {INJECTION}")
    ticket = Ticket.objects.get()
    for page in (
        client_for(agent).get(reverse("support:ticket", args=[ticket.pk])),
        client_for(agent).get(reverse("support:tickets")),
    ):
        body = page.content.decode()
        assert (
            "<script>alert" not in body
            and "<img src=x" not in body
            and 'href="https://evil.example"' not in body
        )
        assert "&lt;script&gt;" in body
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "<script>alert" not in html and "<img src=x" not in html


def test_agent_reply_is_emailed_notes_are_not(agent, client_for, django_capture_on_commit_callbacks):
    ticket = TicketFactory(email="asker@example.com")
    client = client_for(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("support:ticket_note", args=[ticket.pk]), {"body": "NOTE: looks like a phishing test"}
        )
        client.post(
            reverse("support:ticket_reply", args=[ticket.pk]), {"body": f"Hi!\n\nTry this. {INJECTION}"}
        )
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.assigned_to == agent
    [message] = mail.outbox
    assert message.to == ["asker@example.com"] and ticket.number in message.subject
    assert "Try this." in message.body and "NOTE:" not in message.body
    html = message.alternatives[0][0]
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "NOTE:" not in html


def test_the_reply_subject_and_text_keep_the_customers_characters(
    agent, client_for, django_capture_on_commit_callbacks
):
    """Found from outside: plain-text parts were rendered with HTML escaping, so the subject read
    "Re: Tom &amp; Jerry&#x27;s …". Text is not HTML: only the HTML part escapes."""
    subject = 'Tom & Jerry\'s "export" <v2>'
    ticket = TicketFactory(email="asker@example.com", subject=subject)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(reverse("support:ticket_reply", args=[ticket.pk]), {"body": "A & B <ok>"})
    [message] = mail.outbox
    assert subject in message.subject and "&amp;" not in message.subject
    assert subject in message.body and "A & B <ok>" in message.body
    html = message.alternatives[0][0]
    assert "Tom &amp; Jerry" in html and "<v2>" not in html


def test_customer_link_moves_token_to_session_and_hides_notes(
    client, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open(client)
    ticket = Ticket.objects.get()
    tickets_services.ticket_note_add(ticket=ticket, agent=agent, body="INTERNAL: customer sounds stressed")
    tickets_services.ticket_reply(ticket=ticket, agent=agent, body="Here is what to do.")
    link = _link(mail.outbox[0])

    customer = type(client)()
    response = customer.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("help:ticket", args=[ticket.pk])
    assert response["Referrer-Policy"] == "no-referrer"
    page = customer.get(response["Location"])
    body = page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"  # "no-referrer" would make its form post Origin: null
    assert "Here is what to do." in body and FORM["message"].split("?")[0] in body
    assert "INTERNAL" not in body

    reply = customer.post(
        reverse("help:ticket", args=[ticket.pk]), {"body": "Thanks, it worked <b>great</b>"}
    )
    assert reply.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "new"
    assert ticket.messages.filter(kind=TicketMessage.Kind.CUSTOMER).count() == 2
    assert (
        "&lt;b&gt;great&lt;/b&gt;" in customer.get(reverse("help:ticket", args=[ticket.pk])).content.decode()
    )


def test_the_ticket_page_opened_through_the_link_is_never_cached(client, django_capture_on_commit_callbacks):
    """Found from outside: signed in, the thread came with no-store (core.middleware); opened from
    the e-mailed link the session is anonymous, and the same thread came with no Cache-Control."""
    with django_capture_on_commit_callbacks(execute=True):
        _open(client)
    ticket = Ticket.objects.get()
    customer = type(client)()
    landing = customer.get(_link(mail.outbox[0]))
    assert landing["Referrer-Policy"] == "no-referrer" and "no-store" in landing["Cache-Control"]
    dead = type(client)().get(reverse("help:ticket_link", args=[ticket.pk, "1-" + "0" * 40]))
    assert dead.status_code == 404 and dead["Referrer-Policy"] == "no-referrer"
    page = customer.get(landing["Location"])
    assert page.status_code == 200 and FORM["subject"] in page.content.decode()
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"


def test_ticket_page_without_link_is_404(client, customer_account):
    ticket = TicketFactory(email="someone@example.com")
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 404
    client.force_login(customer_account.user)  # same address, not verified, not opened signed in
    customer_account.user.emailaddress_set.update(verified=False)
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 404
    customer_account.user.emailaddress_set.update(verified=True)  # "My requests": a verified address
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 200
    customer_account.user.emailaddress_set.update(verified=False)
    ticket.account = customer_account
    ticket.save()
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 200


def test_tampered_expired_or_other_ticket_tokens_fail(client, settings, monkeypatch):
    ticket, other = TicketFactory(), TicketFactory()
    token = ticket_link_token.make_token(ticket)
    assert client.get(reverse("help:ticket_link", args=[ticket.pk, token + "0"])).status_code == 404
    assert client.get(reverse("help:ticket_link", args=[other.pk, token])).status_code == 404
    real_now = ticket_link_token._now()
    monkeypatch.setattr(
        ticket_link_token, "_now", lambda: real_now + settings.SUPPORT_TICKET_LINK_MAX_AGE + 1
    )
    assert client.get(reverse("help:ticket_link", args=[ticket.pk, token])).status_code == 404
    monkeypatch.undo()
    ticket.reply_nonce = "rotated"
    ticket.save()
    assert client.get(reverse("help:ticket_link", args=[ticket.pk, token])).status_code == 404


def test_customer_reply_rate_limit(client, settings):
    settings.SUPPORT_REPLY_RATE_PER_TICKET = "1/h"
    ticket = TicketFactory()
    client.get(reverse("help:ticket_link", args=[ticket.pk, ticket_link_token.make_token(ticket)]))
    url = reverse("help:ticket", args=[ticket.pk])
    assert client.post(url, {"body": "first"}).status_code == 302
    assert client.post(url, {"body": "second"}).status_code == 429
    assert ticket.messages.count() == 2


def test_ticket_create_service_for_chat(customer_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets_services.ticket_create(
            email="someone@example.com",
            subject="Chat transcript",
            message="Customer: hi\nAgent: hello",
            category="apps",
            account=customer_account,
            source="chat",
        )
    assert ticket.source == "chat" and ticket.account == customer_account
    assert ticket.number == f"T-{ticket.pk:06d}"
    assert len(mail.outbox) == 1


def test_queue_filters_and_assignment(agent, supervisor, client_for):
    new, waiting, solved = (TicketFactory(status=s) for s in ("new", "waiting", "solved"))
    client = client_for(agent)
    open_page = client.get(reverse("support:tickets")).content.decode()
    assert new.number in open_page and waiting.number in open_page and solved.number not in open_page
    assert solved.number in client.get(reverse("support:tickets"), {"status": "solved"}).content.decode()
    client.post(
        reverse("support:ticket_update", args=[new.pk]), {"status": "new", "assigned_to": supervisor.pk}
    )
    new.refresh_from_db()
    assert new.assigned_to == supervisor
    mine = client_for(supervisor).get(reverse("support:tickets"), {"scope": "mine"}).content.decode()
    assert new.number in mine and waiting.number not in mine


def test_the_queue_is_cut_into_pages_whose_links_keep_the_filter(agent, client_for, settings):
    settings.SUPPORT_CONSOLE_ROWS_PER_PAGE = 2
    oldest, middle, newest = (TicketFactory(status="waiting") for _ in range(3))
    Ticket.objects.filter(pk=oldest.pk).update(updated_at=oldest.updated_at - timedelta(days=1))
    TicketFactory(status="new")
    client = client_for(agent)

    first = client.get(reverse("support:tickets"), {"status": "waiting"}).content.decode()
    assert newest.number in first and middle.number in first and oldest.number not in first
    assert 'href="?status=waiting&amp;page=2"' in first and "Page 1 of 2" in first
    second = client.get(reverse("support:tickets"), {"status": "waiting", "page": 2}).content.decode()
    assert oldest.number in second and newest.number not in second


def _tickets_of_different_people(n: int) -> None:
    for _ in range(n):
        assignee = UserFactory(is_staff=True)
        TicketFactory(account=AccountFactory(), assigned_to=assignee)


def test_the_queue_costs_the_same_queries_with_1_or_30_tickets(agent, client_for, page_queries):
    client = client_for(agent)
    _tickets_of_different_people(1)
    small = page_queries(client, reverse("support:tickets"))
    _tickets_of_different_people(29)
    assert page_queries(client, reverse("support:tickets")) == small


def test_ticket_page_ids_are_unique_so_each_label_names_its_own_field(agent, client_for):
    """The reply and the note forms both have a `body` field: their ids must differ."""
    ticket = TicketFactory()
    body = client_for(agent).get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '<label for="id_body">Reply to the customer' in body
    assert '<label for="id_note_body">Internal note' in body


@pytest.mark.parametrize("body", [{"category": "other"}, {}], ids=["fields-empty", "no-field-at-all"])
def test_an_empty_ticket_form_says_what_each_field_needs(client, body):
    response = client.post(reverse("help:ticket_new"), body)
    html = response.content.decode()
    assert "This field is required" not in html
    assert "Enter your e-mail address: we answer there." in html
    assert "Give your request a short subject." in html
    assert "Write your message: what happened, and what you have tried." in html
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("side", ["console", "customer"])
def test_a_ticket_costs_the_same_queries_with_1_or_30_replies_by_different_agents(
    side, agent, client_for, page_queries
):
    owner = AccountFactory()
    ticket = TicketFactory(email=owner.user.email, account=owner, assigned_to=agent)
    if side == "console":
        client, url = client_for(agent), reverse("support:ticket", args=[ticket.pk])
    else:
        client, url = client_for(None), reverse("help:ticket", args=[ticket.pk])
        client.force_login(owner.user)

    def thread(n):
        for _ in range(n):
            author = UserFactory(is_staff=True)
            TicketMessage.objects.create(
                ticket=ticket, kind=TicketMessage.Kind.REPLY, author=author, body="Hi"
            )
            TicketMessage.objects.create(
                ticket=ticket, kind=TicketMessage.Kind.NOTE, author=author, body="Hm"
            )
            TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.CUSTOMER, body="Thanks")

    thread(1)
    small = page_queries(client, url)
    thread(29)
    assert page_queries(client, url) == small


def test_the_console_search_costs_the_same_queries_with_1_or_30_tickets_found(
    agent, client_for, page_queries
):
    owner = AccountFactory(user__email="found@example.com")

    def tickets(n):
        for _ in range(n):
            TicketFactory(email="found@example.com", account=owner, assigned_to=UserFactory(is_staff=True))

    client = client_for(agent)
    tickets(1)
    small = page_queries(client, reverse("support:search"), {"q": "found@example.com"})
    tickets(29)
    assert page_queries(client, reverse("support:search"), {"q": "found@example.com"}) == small
