"""The account page's self-service: sign out all devices, the password hint, closing the account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Account, Device, SecurityEvent
from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, DeviceFactory, auth_key_for
from mailer.models import OutboundEmail
from mailer.services import email_send

pytestmark = pytest.mark.django_db

AUTH_KEY = auth_key_for(DEFAULT_PASSWORD)


@pytest.fixture
def account():
    account = AccountFactory()
    account.user.set_password(AUTH_KEY)
    account.user.save(update_fields=["password"])
    return account


@pytest.fixture
def signed_in(account):
    client = Client()
    client.force_login(account.user)
    return client


# --- Account page ------------------------------------------------------------------------


def test_account_page_names_platforms_and_explains_key_generation(signed_in, account):
    DeviceFactory(account=account, platform="ios", name="Phone")
    html = signed_in.get(reverse("accounts:home")).content.decode()
    assert "iPhone or iPad" in html and ">ios<" not in html
    assert reverse("help:article", args=["key-generation"]) in html
    assert "table-stack" in html and 'data-label="Platform"' in html


def test_account_page_offers_the_apps_when_no_app_is_signed_in(signed_in, settings):
    html = signed_in.get(reverse("accounts:home")).content.decode()
    assert "No app is signed in" in html
    for _name, url in settings.APP_DOWNLOADS:
        assert f'href="{url}"' in html


def test_account_page_links_the_hint_e_mail_change_and_closing(signed_in):
    html = signed_in.get(reverse("accounts:home")).content.decode()
    for name in (
        "accounts:hint_change",
        "accounts:email_change",
        "accounts:close",
        "accounts:sign_out_everywhere",
    ):
        assert reverse(name) in html


def test_platform_name_falls_back_to_what_the_app_sent():
    assert Device(platform="Android").platform_name == "Android"
    assert Device(platform="plan9").platform_name == "plan9"


# --- Sign out all devices ----------------------------------------------------------------


def test_sign_out_all_devices_revokes_apps_and_other_browsers_but_keeps_this_one(signed_in, account):
    DeviceFactory(account=account)
    DeviceFactory(account=account)
    other = Client()
    other.force_login(account.user)
    assert other.get(reverse("accounts:home")).status_code == 200
    signed_in.get(reverse("accounts:home"))

    response = signed_in.post(reverse("accounts:sign_out_everywhere"), follow=True)

    assert "This browser stays signed in" in response.content.decode()
    assert not Device.objects.filter(account=account, revoked_at__isnull=True).exists()
    assert set(Device.objects.values_list("revoked_reason", flat=True)) == {
        Device.RevokedReason.SIGNED_OUT_EVERYWHERE
    }
    assert signed_in.get(reverse("accounts:home")).status_code == 200
    assert other.get(reverse("accounts:home")).status_code == 302
    event = SecurityEvent.objects.get(account=account, type=SecurityEvent.Type.SIGNED_OUT_EVERYWHERE)
    assert event.details == {"devices": 2, "sessions": 1}


def test_sign_out_all_devices_is_a_post(signed_in):
    assert signed_in.get(reverse("accounts:sign_out_everywhere")).status_code == 405


# --- Password hint -----------------------------------------------------------------------


def test_hint_page_is_a_zero_knowledge_reauth_form(signed_in):
    html = signed_in.get(reverse("accounts:hint_change")).content.decode()
    assert 'data-zk="reauth"' in html and "data-zk-hint" in html
    assert 'name="password"' not in html


def test_hint_change_with_the_password_saves_and_audits(signed_in, account):
    response = signed_in.post(
        reverse("accounts:hint_change"), {"hint": "  first cat  ", "auth_key": AUTH_KEY}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.password_hint == "first cat"
    event = SecurityEvent.objects.get(account=account, type=SecurityEvent.Type.HINT_CHANGED)
    assert event.details == {"hint_set": True}
    assert "first cat" not in str(event.details)


def test_hint_change_with_a_wrong_password_changes_nothing(signed_in, account):
    response = signed_in.post(
        reverse("accounts:hint_change"), {"hint": "new", "auth_key": auth_key_for("wrong one!")}
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    before = account.password_hint
    account.refresh_from_db()
    assert account.password_hint == before


def test_hint_change_without_a_derived_key_asks_for_javascript(signed_in):
    response = signed_in.post(reverse("accounts:hint_change"), {"hint": "new"})
    assert response.status_code == 400


def test_an_empty_post_to_a_password_again_page_is_refused_not_a_fresh_form(signed_in, account):
    before = account.password_hint
    response = signed_in.post(reverse("accounts:hint_change"), {})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    account.refresh_from_db()
    assert account.password_hint == before


def test_hint_change_is_rate_limited(signed_in, settings):
    settings.ACCOUNT_REAUTH_RATE_PER_ACCOUNT = "2/h"
    for _ in range(2):
        signed_in.post(reverse("accounts:hint_change"), {"hint": "x", "auth_key": auth_key_for("wrong one!")})
    assert (
        signed_in.post(reverse("accounts:hint_change"), {"hint": "x", "auth_key": AUTH_KEY}).status_code
        == 429
    )


# --- Closing the account -----------------------------------------------------------------


def _close(client, confirmation="close my account", auth_key=AUTH_KEY):
    return client.post(reverse("accounts:close"), {"confirmation": confirmation, "auth_key": auth_key})


def test_close_page_explains_the_licence_and_asks_twice(signed_in):
    html = signed_in.get(reverse("accounts:close")).content.decode()
    assert "Your licence" in html and "does not refund" in html
    assert 'data-zk="reauth"' in html and "close my account" in html
    assert reverse("help:ticket_new") in html


def test_closing_needs_the_typed_confirmation(signed_in, account):
    response = _close(signed_in, confirmation="yes")
    assert response.status_code == 400
    assert "exactly" in response.content.decode()
    account.refresh_from_db()
    assert account.closed_at is None


def test_closing_needs_the_password(signed_in, account):
    response = _close(signed_in, auth_key=auth_key_for("wrong one!"))
    assert response.status_code == 400
    assert "Your account is still open" in response.content.decode()
    account.refresh_from_db()
    assert account.closed_at is None


def test_closing_closes_signs_out_audits_and_sends_a_receipt(signed_in, account):
    DeviceFactory(account=account)
    response = _close(signed_in, confirmation="  Close   my ACCOUNT ")
    assert response.status_code == 200
    assert "Your account is closed" in response.content.decode()

    account.refresh_from_db()
    assert account.closed_at is not None and account.closed_by_customer
    assert not account.user.is_active
    assert Device.objects.get(account=account).revoked_reason == Device.RevokedReason.ACCOUNT_CLOSED
    assert signed_in.get(reverse("accounts:home")).status_code == 302
    event = SecurityEvent.objects.get(account=account, type=SecurityEvent.Type.ACCOUNT_CLOSED)
    assert event.details["by"] == "customer" and event.details["devices"] == 1

    row = OutboundEmail.objects.get(kind=services.ACCOUNT_CLOSED_KIND)
    email_send(email_id=row.pk)
    message = mail.outbox[-1]
    assert message.to == [account.user.email]
    assert message.subject == "[Vault] Your account was closed"
    assert account.account_id in message.body and "from your account page" in message.body
    assert "/help/contact/" in message.body


def test_closing_twice_does_nothing_more(account):
    assert services.account_close(account=account, closed_by=account.user) is not None
    assert services.account_close(account=account, closed_by=account.user) is None
    assert OutboundEmail.objects.filter(kind=services.ACCOUNT_CLOSED_KIND).count() == 1
    assert Account.objects.get(pk=account.pk).closed_by == account.user
