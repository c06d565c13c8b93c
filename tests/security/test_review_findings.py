"""Issue 14: the findings of the black-box review, each with the test that failed before its fix."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, UserFactory, VaultItemFactory
from resets import services as reset_services
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Review-Passphrase-3310"


def _complete_data(confirm_email: str) -> dict:
    return {
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "hint": "",
        "confirm_email": confirm_email,
        "confirm_erase": "on",
    }


def _planted_client() -> tuple[Client, str]:
    """A browser whose session key an attacker chose (and therefore also holds)."""
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client, session.session_key


# --- 3. A closed account accepts no reset --------------------------------------------------------


def test_a_reset_link_does_not_work_after_the_account_is_closed():
    from support.services.console import account_close

    account = AccountFactory()
    VaultItemFactory.create_batch(2, account=account)
    supervisor = UserFactory(is_staff=True)
    reset_request, token, _ = pending_reset(account)
    account_close(account=account, actor=supervisor, reason="fraud")
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED
    assert reset_request.events.filter(state="cancelled", details__via="account_closed").exists()
    client = Client()
    client.get(reverse("resets:link_token", args=[token]))
    assert client.post(reverse("resets:link"), _complete_data(account.user.email)).status_code == 410
    account.refresh_from_db()
    account.user.refresh_from_db()
    assert account.vault_items.count() == 2
    assert account.user.check_password(DEFAULT_PASSWORD)


def test_an_inactive_or_closed_account_accepts_no_reset_even_with_a_pending_link():
    from django.utils import timezone

    account = AccountFactory()
    reset_request, token, _ = pending_reset(account)
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    reset_request.refresh_from_db()
    assert not reset_services.reset_request_usable(reset_request)
    with pytest.raises(reset_services.ResetLinkInvalid):
        reset_services.reset_complete(token=token, password=NEW_PASSWORD, hint="")
    account.user.is_active = True
    account.user.save(update_fields=["is_active"])
    account.closed_at = timezone.now()
    account.save(update_fields=["closed_at"])
    reset_request.refresh_from_db()
    assert not reset_services.reset_request_usable(reset_request)


# --- 4. Session fixation on e-mailed links ---------------------------------------------------------


def test_the_reset_link_cycles_the_session_key_before_storing_the_token():
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    client, planted = _planted_client()
    client.get(reverse("resets:link_token", args=[token]))
    assert client.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()
    # The attacker, holding the planted key, gets nothing.
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("resets:link")).status_code == 410


def test_the_cancel_link_cycles_the_session_key_before_storing_the_token():
    account = AccountFactory()
    _, _, cancel = pending_reset(account)
    client, planted = _planted_client()
    client.get(reverse("resets:cancel_token", args=[cancel]))
    assert client.cookies["sessionid"].value != planted
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("resets:cancel")).status_code == 410


def test_the_ticket_link_cycles_the_session_key_before_granting_access():
    from support.tests.factories import TicketFactory
    from support.tokens import ticket_link_token

    ticket = TicketFactory()
    client, planted = _planted_client()
    response = client.get(reverse("help:ticket_link", args=[ticket.pk, ticket_link_token.make_token(ticket)]))
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 200
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("help:ticket", args=[ticket.pk])).status_code == 404
