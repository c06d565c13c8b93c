""" "My requests": a signed-in customer lists, opens, answers and closes their tickets."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.tests.factories import AccountFactory
from support.models import SupportAuditEvent, Ticket, TicketMessage
from support.selectors.tickets import customer_tickets
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return AccountFactory(user__email="owner@example.com")


def test_lists_account_tickets_and_signed_out_tickets_from_a_verified_address(client, owner):
    EmailAddress.objects.create(user=owner.user, email="Second@Example.com", verified=True)
    EmailAddress.objects.create(user=owner.user, email="unverified@example.com", verified=False)
    own = TicketFactory(email="owner@example.com", account=owner, subject="Signed-in question")
    signed_out = TicketFactory(email="owner@example.com", subject="Asked signed out")
    second = TicketFactory(email="second@example.com", subject="From my second address")
    TicketFactory(email="unverified@example.com", subject="Unverified address")
    TicketFactory(email="someone@example.com", subject="Someone else")
    other_account = AccountFactory(user__email="other@example.com")
    TicketFactory(email="owner@example.com", account=other_account, subject="Another account's")

    assert {t.pk for t in customer_tickets(owner.user)} == {own.pk, signed_out.pk, second.pk}
    client.force_login(owner.user)
    body = client.get(reverse("help:my_requests")).content.decode()
    for subject in ("Signed-in question", "Asked signed out", "From my second address"):
        assert subject in body
    for subject in ("Unverified address", "Someone else", "Another account"):
        assert subject not in body


def test_status_words_and_last_reply(client, owner, agent):
    ticket = TicketFactory(email="owner@example.com", account=owner, subject="Status check")
    client.force_login(owner.user)
    assert "Received" in client.get(reverse("help:my_requests")).content.decode()
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.REPLY, author=agent, body="Hello")
    TicketMessage.objects.create(ticket=ticket, kind=TicketMessage.Kind.NOTE, author=agent, body="internal")
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.WAITING)
    body = client.get(reverse("help:my_requests")).content.decode()
    assert "Answered" in body and "Last reply from" in body
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SOLVED)
    assert "Solved" in client.get(reverse("help:my_requests")).content.decode()


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("help:my_requests"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_customer_opens_answers_and_closes_a_ticket_opened_signed_out(client, owner):
    ticket = TicketFactory(email="owner@example.com", subject="Opened signed out")
    client.force_login(owner.user)
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 200
    response = client.post(reverse("help:ticket", args=[ticket.pk]), {"body": "Any news on this?"})
    assert response.status_code == 302
    assert ticket.messages.filter(kind="customer", body="Any news on this?").exists()
    response = client.post(reverse("help:ticket_close", args=[ticket.pk]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    event = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.TICKET_CLOSED_BY_CUSTOMER)
    assert event.actor == owner.user and event.ticket == ticket
    assert "Mark as solved" not in client.get(reverse("help:ticket", args=[ticket.pk])).content.decode()


def test_an_empty_reply_says_what_is_missing(client, owner):
    ticket = TicketFactory(email="owner@example.com")
    client.force_login(owner.user)
    before = ticket.messages.count()
    response = client.post(reverse("help:ticket", args=[ticket.pk]), {})
    assert "Write the message first." in response.content.decode()
    assert ticket.messages.count() == before


@pytest.mark.parametrize("route", ["help:ticket", "help:ticket_close"])
def test_someone_elses_ticket_is_a_404(client, owner, route):
    ticket = TicketFactory(email="someone@example.com")
    client.force_login(owner.user)
    method = client.get if route == "help:ticket" else client.post
    assert method(reverse(route, args=[ticket.pk])).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_close_is_post_only(client, owner):
    ticket = TicketFactory(email="owner@example.com", account=owner)
    client.force_login(owner.user)
    assert client.get(reverse("help:ticket_close", args=[ticket.pk])).status_code == 405


def test_header_and_account_page_link_to_my_requests(client, owner):
    client.force_login(owner.user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert body.count(reverse("help:my_requests")) == 2  # header and the account page


def test_a_long_list_of_requests_is_cut_into_pages(client, owner, settings):
    settings.SUPPORT_MY_REQUESTS_PER_PAGE = 2
    oldest, middle, newest = (
        TicketFactory(email="owner@example.com", account=owner, subject=f"Question number {n}")
        for n in range(3)
    )
    Ticket.objects.filter(pk=oldest.pk).update(updated_at=oldest.updated_at.replace(year=2020))
    client.force_login(owner.user)

    first = client.get(reverse("help:my_requests")).content.decode()
    assert newest.subject in first and middle.subject in first and oldest.subject not in first
    assert 'href="?page=2" rel="next"' in first
    assert oldest.subject in client.get(reverse("help:my_requests"), {"page": 2}).content.decode()


def test_the_list_costs_the_same_queries_with_1_or_30_requests(client, owner, agent, page_queries):
    def answered_requests(n):
        for _ in range(n):
            ticket = TicketFactory(email="owner@example.com", account=owner)
            TicketMessage.objects.create(
                ticket=ticket, kind=TicketMessage.Kind.REPLY, author=agent, body="Hello"
            )

    client.force_login(owner.user)
    answered_requests(1)
    small = page_queries(client, reverse("help:my_requests"))
    answered_requests(29)
    assert page_queries(client, reverse("help:my_requests")) == small
