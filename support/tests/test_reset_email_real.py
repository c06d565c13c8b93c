"""The console's reset e-mail action with the real reset services (no stand-ins)."""

import re

import pytest
from django.urls import reverse

from resets.models import ResetRequest, ResetRequestEvent

pytestmark = pytest.mark.django_db


def _reset_link(message) -> str:
    return re.search(r"/reset/link/\S+", message.body).group(0)


def test_agent_starts_then_resends_a_reset_only_to_the_owner(
    client_for, agent, customer_account, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(agent)
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    owner = customer_account.user.email

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "attacker@evil.example", "to": "attacker@evil.example"})
    assert response.status_code == 302
    [started] = mailoutbox
    assert started.to == [owner]
    assert started.subject == "[Vault] Account reset"
    pending = ResetRequest.objects.get(account=customer_account)
    assert pending.state == ResetRequest.State.EMAILED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "attacker@evil.example"})
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
        client.post(url)
    first = ResetRequest.objects.get(account=customer_account)
    user = customer_account.user
    user.set_password("Changed-From-The-App-2026")  # the owner changed it from an unlocked app
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mailoutbox) == 2
    assert _reset_link(mailoutbox[1]) != _reset_link(mailoutbox[0])  # a new, working link
    assert ResetRequest.objects.filter(account=customer_account).count() == 2
    first.refresh_from_db()
    assert first.state == ResetRequest.State.SUPERSEDED
