"""Issue 14 item 2: our e-mail change replaces allauth's e-mail management pages."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import email_change as services
from accounts.models import EmailChange, SecurityEvent
from accounts.tests.factories import AccountFactory, DeviceFactory, UserFactory
from mailer.models import OutboundEmail
from mailer.services import email_send
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

AUTH_KEY = "auth-key-as-the-device-derives-it"
NEW = "new-address@example.com"


@pytest.fixture
def account():
    account = AccountFactory()
    # The stored hash is of the auth key (issue 13): the test's "password" is that key.
    account.user.set_password(AUTH_KEY)
    account.user.save(update_fields=["password"])
    return account


@pytest.fixture
def signed_in(account):
    client = Client()
    client.force_login(account.user)
    return client


def _sent(kind: str):
    """Send the queued e-mail of `kind` like the worker does; return (row, message body)."""
    row = OutboundEmail.objects.filter(kind=kind).latest("id")
    email_send(email_id=row.pk)
    row.refresh_from_db()
    return row


def _link(row, name: str) -> str:
    from django.core import mail

    message = [m for m in mail.outbox if m.to == [row.to]][-1]
    marker = reverse(name, args=["TOKEN"]).split("TOKEN")[0]
    start = message.body.index(marker)
    return message.body[start:].split()[0]


def _change_requested(client, new_email=NEW, auth_key=AUTH_KEY):
    return client.post(reverse("accounts:email_change"), {"new_email": new_email, "auth_key": auth_key})


def _confirmed(client, account):
    assert _change_requested(client).status_code == 200
    row = _sent(services.CONFIRM_KIND)
    assert row.status == OutboundEmail.Status.SENT, row.last_error
    link = _link(row, "accounts:email_confirm_token")
    browser = Client()
    assert browser.get(link).status_code == 302
    assert browser.post(reverse("accounts:email_confirm")).status_code == 200
    account.user.refresh_from_db()
    return browser


# --- allauth's pages are gone ----------------------------------------------------------------------


def test_allauth_email_management_answers_404_and_adds_no_address(signed_in, account):
    assert signed_in.get("/accounts/email/").status_code == 404
    response = signed_in.post("/accounts/email/", {"action_add": "", "email": "attacker@example.com"})
    assert response.status_code == 404
    response = signed_in.post("/accounts/email/", {"action_primary": "", "email": "attacker@example.com"})
    assert response.status_code == 404
    assert list(EmailAddress.objects.filter(user=account.user).values_list("email", flat=True)) == [
        account.user.email
    ]


# --- asking needs the password again ---------------------------------------------------------------


def test_the_page_asks_for_the_password_with_the_zero_knowledge_markup(signed_in):
    html = signed_in.get(reverse("accounts:email_change")).content.decode()
    assert 'data-zk="reauth"' in html
    assert 'type="hidden" name="auth_key"' in html
    password_input = html[html.index("data-zk-password") - 200 : html.index("data-zk-password") + 200]
    assert (
        'type="password"' in password_input
        and "name=" not in password_input.split("<input")[-1].split(">")[0]
    )


@pytest.mark.parametrize("auth_key", ["", "a-wrong-auth-key"])
def test_without_the_right_password_nothing_is_asked_or_sent(signed_in, account, auth_key):
    response = _change_requested(signed_in, auth_key=auth_key)
    assert response.status_code == 400
    text = response.content.decode()
    assert ("Turn on JavaScript" in text) if not auth_key else ("not right" in text)
    assert not EmailChange.objects.exists()
    assert not OutboundEmail.objects.filter(kind=services.CONFIRM_KIND).exists()


def test_attempts_are_rate_limited_per_account(signed_in, settings):
    settings.EMAIL_CHANGE_RATE_PER_ACCOUNT = "2/h"
    assert _change_requested(signed_in, auth_key="wrong-1").status_code == 400
    assert _change_requested(signed_in, auth_key="wrong-2").status_code == 400
    assert _change_requested(signed_in).status_code == 429


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(reverse("accounts:email_change"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the new address must be verified ----------------------------------------------------------


def test_nothing_changes_until_the_new_address_confirms(signed_in, account):
    old = account.user.email
    assert _change_requested(signed_in).status_code == 200
    account.user.refresh_from_db()
    assert account.user.email == old
    change = EmailChange.objects.get()
    assert change.state == EmailChange.State.PENDING and change.new_email == NEW
    assert account.security_events.filter(type=SecurityEvent.Type.EMAIL_CHANGE_REQUESTED).exists()
    row = _sent(services.CONFIRM_KIND)
    assert row.to == NEW and "[scrubbed]" not in row.to
    # The token is not stored anywhere: only its hash, and the e-mail is built at send time.
    link = _link(row, "accounts:email_confirm_token")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in str(row.context) and token not in change.confirm_token_hash


def test_confirming_changes_the_one_address_and_tells_the_old_one(signed_in, account):
    old = account.user.email
    _, _, _ = pending_reset(account)
    _confirmed(signed_in, account)
    assert account.user.email == NEW
    assert list(
        EmailAddress.objects.filter(user=account.user).values_list("email", "verified", "primary")
    ) == [(NEW, True, True)]
    event = account.security_events.get(type=SecurityEvent.Type.EMAIL_CHANGED)
    assert event.details["old_email"] == old and event.details["new_email"] == NEW
    assert not ResetRequest.objects.filter(account=account, state__in=ResetRequest.PENDING_STATES).exists()
    notice = _sent(services.NOTICE_KIND)
    assert notice.to == old and notice.status == OutboundEmail.Status.SENT
    assert "/account/email/undo/" in _link(notice, "accounts:email_undo_token")


def test_a_confirmation_link_works_once_and_expires(signed_in, account):
    _change_requested(signed_in)
    link = _link(_sent(services.CONFIRM_KIND), "accounts:email_confirm_token")
    EmailChange.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    browser = Client()
    browser.get(link)
    assert browser.post(reverse("accounts:email_confirm")).status_code == 410
    account.user.refresh_from_db()
    assert account.user.email != NEW


def test_an_address_that_has_an_account_gets_no_link_and_cannot_be_taken(signed_in, account):
    other = UserFactory(email=NEW)
    response = _change_requested(signed_in)
    assert response.status_code == 200  # the same answer: the page says nothing about the address
    row = _sent(services.CONFIRM_KIND)
    assert row.status == OutboundEmail.Status.CANCELLED
    change = EmailChange.objects.get()
    with pytest.raises(services.EmailChangeInvalid):
        services.email_change_confirm(
            token=services.email_change_token(change=change, purpose=services.CONFIRM)
        )
    account.user.refresh_from_db()
    other.refresh_from_db()
    assert account.user.email != NEW and other.email == NEW


def test_the_confirmation_link_cycles_the_session_key(signed_in, account):
    _change_requested(signed_in)
    link = _link(_sent(services.CONFIRM_KIND), "accounts:email_confirm_token")
    browser = Client()
    session = browser.session
    session["planted"] = True
    session.save()
    browser.cookies["sessionid"] = planted = session.session_key
    browser.get(link)
    assert browser.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()


# --- "this wasn't me" --------------------------------------------------------------------------------


def test_the_old_address_undoes_the_change_and_everyone_is_signed_out(signed_in, account):
    old = account.user.email
    old_device = DeviceFactory(account=account, authorized_at=timezone.now())
    attacker_browser = _confirmed(signed_in, account)
    attacker_device = DeviceFactory(account=account, authorized_at=timezone.now())
    # The attacker now asks for a reset: the link would go to the new address.
    pending_reset(account)
    undo_link = _link(_sent(services.NOTICE_KIND), "accounts:email_undo_token")
    owner = Client()
    assert owner.get(undo_link).status_code == 302
    page = owner.get(reverse("accounts:email_undo"))
    assert page.status_code == 200 and old in page.content.decode()
    assert owner.post(reverse("accounts:email_undo")).status_code == 200
    account.user.refresh_from_db()
    assert account.user.email == old
    assert list(EmailAddress.objects.filter(user=account.user).values_list("email", flat=True)) == [old]
    assert signed_in.get(reverse("accounts:home")).status_code == 302  # the session is over
    assert attacker_browser.get(reverse("accounts:home")).status_code == 302
    old_device.refresh_from_db()
    attacker_device.refresh_from_db()
    assert attacker_device.revoked_at is not None and old_device.revoked_at is None
    assert not ResetRequest.objects.filter(account=account, state__in=ResetRequest.PENDING_STATES).exists()
    assert account.security_events.filter(type=SecurityEvent.Type.EMAIL_CHANGE_UNDONE).exists()
    assert owner.post(reverse("accounts:email_undo")).status_code == 410  # once


def test_the_undo_link_lasts_the_configured_days(signed_in, account, settings):
    settings.EMAIL_CHANGE_UNDO_DAYS = 7
    _confirmed(signed_in, account)
    change = EmailChange.objects.get()
    assert timedelta(days=6, hours=23) < change.undo_until - change.confirmed_at <= timedelta(days=7)
    undo_link = _link(_sent(services.NOTICE_KIND), "accounts:email_undo_token")
    EmailChange.objects.update(undo_until=timezone.now() - timedelta(seconds=1))
    owner = Client()
    owner.get(undo_link)
    assert owner.post(reverse("accounts:email_undo")).status_code == 410
    account.user.refresh_from_db()
    assert account.user.email == NEW


def test_support_sees_the_change_on_the_console_account_page(signed_in, account):
    from chat.tests.factories import AgentFactory

    old = account.user.email
    _confirmed(signed_in, account)
    agent = Client()
    agent.force_login(AgentFactory())
    page = agent.get(reverse("support:account", args=[account.account_id])).content.decode()
    assert "E-mail address changed" in page and old in page and NEW in page


def test_an_expired_confirmation_page_does_not_point_at_the_removed_pages():
    html = Client().get("/accounts/confirm-email/not-a-valid-key-at-all/").content.decode()
    assert "/accounts/email/" not in html and reverse("account_login") in html
