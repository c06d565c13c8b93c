"""The console's reset e-mail action with the real reset services (no stand-ins)."""

import re

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from resets.models import ResetRequest, ResetRequestEvent
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

CONFIRMED = {"reason": "Customer asked on the phone", "confirm": "on"}


def _reset_link(message) -> str:
    return re.search(r"/reset/link/\S+", message.body).group(0)


def test_agent_starts_then_resends_a_reset_only_to_the_owner(
    client_for, agent, customer_account, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(agent)
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    owner = customer_account.user.email

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "attacker@evil.example", "to": "attacker@evil.example", **CONFIRMED}
        )
    assert response.status_code == 302
    [started] = mailoutbox
    assert started.to == [owner]
    assert started.subject == "[Vault] Account reset"
    pending = ResetRequest.objects.get(account=customer_account)
    assert pending.state == ResetRequest.State.EMAILED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "attacker@evil.example", **CONFIRMED})
    assert [m.to for m in mailoutbox] == [[owner], [owner]]
    assert _reset_link(mailoutbox[1]) == _reset_link(mailoutbox[0])  # the same request, re-sent
    assert ResetRequest.objects.filter(account=customer_account).count() == 1
    assert ResetRequestEvent.objects.filter(reset_request=pending, actor=agent, details__resend=True).exists()
    assert all("evil.example" not in m.body for m in mailoutbox)


def test_a_request_killed_by_a_password_change_is_not_resent_but_replaced(
    client_for, agent, customer_account, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(agent)
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, CONFIRMED)
    first = ResetRequest.objects.get(account=customer_account)
    user = customer_account.user
    user.set_password("Changed-From-The-App-2026")  # the owner changed it from an unlocked app
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, CONFIRMED)
    assert len(mailoutbox) == 2
    assert _reset_link(mailoutbox[1]) != _reset_link(mailoutbox[0])  # a new, working link
    assert ResetRequest.objects.filter(account=customer_account).count() == 2
    first.refresh_from_db()
    assert first.state == ResetRequest.State.SUPERSEDED


def _cancel_path(message) -> str:
    return re.search(r"/reset/cancel/[^/\s]+/", message.body).group(0)


@pytest.mark.parametrize("with_ticket", [True, False])
def test_customer_reads_that_support_sent_it_with_the_ticket(
    with_ticket, client_for, agent, customer_account, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(email=customer_account.user.email, account=customer_account)
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    body = {**CONFIRMED, "ticket": ticket.number if with_ticket else ""}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(url, body)  # starts a reset
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(url, body)  # re-sends it
    said = (
        f"Vault support sent your reset e-mail (ticket {ticket.number})"
        if with_ticket
        else ("Vault support sent your reset e-mail")
    )

    customer = client_for(customer_account.user)
    cancel = customer.get(_cancel_path(mailoutbox[-1]), follow=True).content.decode()
    assert said in cancel
    assert "Someone asked to reset this account" not in cancel
    assert "Customer asked on the phone" not in cancel  # the reason stays with the support team

    events = SecurityEvent.objects.filter(account=customer_account, type=SecurityEvent.Type.SUPPORT_ACTION)
    assert [e.summary for e in events] == [said, said]
    home = customer.get(reverse("accounts:home")).content.decode()
    assert said in home and "Support action" not in home


def test_a_customer_request_still_reads_someone_asked(
    client, customer_account, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resets:request"), {"email": customer_account.user.email})
    cancel = client.get(_cancel_path(mailoutbox[-1]), follow=True).content.decode()
    assert "Someone asked to reset this account" in cancel
    assert "support sent" not in cancel
