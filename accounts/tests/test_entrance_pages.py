"""allauth's pages in the portal's look and words: sign-up, sign-in, check your inbox, confirm e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import AccountFactory
from accounts.tests.zk import new_password_data

pytestmark = pytest.mark.django_db

PASSWORD = "Tangerine-Orbit-1984"
TITLE_CASE = re.compile(r"Sign In|Sign Up|Sign Out|E-Mail|Email Address|Confirm Email")


def _signup(client, email):
    data = {"email": email, "password_hint": "", **new_password_data(PASSWORD)}
    return client.post(reverse("account_signup"), data, follow=True)


@pytest.mark.parametrize("name", ["account_signup", "account_login"])
def test_entrance_pages_use_sentence_case_and_link_contact_us(client, name):
    html = client.get(reverse(name)).content.decode()
    assert not TITLE_CASE.search(html), TITLE_CASE.search(html)
    assert f'href="{reverse("help:ticket_new")}">contact us</a>' in html
    assert "data-zk-toggle" in html


def test_signup_warns_that_nobody_can_recover_the_password_and_meters_its_strength(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Nobody can recover your Account Password" in html
    assert "data-zk-meter" in html and "<meter" in html
    assert "zxcvbn-ts-core.js" in html


def test_check_your_inbox_names_the_address_and_sends_the_link_again(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "new@example.com")
    html = response.content.decode()
    assert "Check your inbox" in html and "new@example.com" in html
    assert reverse("accounts:email_confirmation_resend") in html
    assert f'href="{reverse("help:ticket_new")}">Contact us</a>' in html
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:email_confirmation_resend"), follow=True)
    assert "We have sent the link to new@example.com again" in response.content.decode()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["new@example.com"] and "/accounts/confirm-email/" in mail.outbox[1].body


def test_resend_answers_the_same_for_a_taken_address_and_sends_it_nothing(
    client, django_capture_on_commit_callbacks
):
    taken = AccountFactory().user.email
    _signup(client, taken)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:email_confirmation_resend"), follow=True)
    assert f"We have sent the link to {taken} again" in response.content.decode()
    assert mail.outbox == []


def test_resend_is_rate_limited_per_address(client, settings):
    settings.EMAIL_CONFIRMATION_RESEND_RATE = "1/h"
    _signup(client, "new@example.com")
    client.post(reverse("accounts:email_confirmation_resend"))
    response = client.post(reverse("accounts:email_confirmation_resend"), follow=True)
    assert "several links in a short time" in response.content.decode()


def test_resend_without_a_pending_address_goes_to_sign_up(client):
    response = client.post(reverse("accounts:email_confirmation_resend"))
    assert response.status_code == 302 and response["Location"] == reverse("account_signup")


def test_a_dead_confirmation_link_says_what_to_do(client):
    html = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()
    assert "Confirm your e-mail address" in html
    assert "expired or was already used" in html
    assert reverse("help:ticket_new") in html


def test_sign_up_confirm_and_sign_in_notices_in_the_portals_words(client, django_capture_on_commit_callbacks):
    """allauth's notices read 'Confirmation email sent to …' above a page that says the same,
    'You have confirmed …' and 'Successfully signed in as …'."""
    from accounts.tests.zk import signin_data

    with django_capture_on_commit_callbacks(execute=True):
        check_inbox = _signup(client, "new@example.com").content.decode()
    assert "Confirmation email sent" not in check_inbox
    assert check_inbox.count("new@example.com") == 1  # named once, by the page itself
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    confirmed = client.post(link.split("testserver", 1)[-1], follow=True).content.decode()
    assert "Your address new@example.com is confirmed. Sign in to start using your account." in confirmed
    signed_in = client.post(reverse("account_login"), signin_data("new@example.com", PASSWORD), follow=True)
    assert "You are signed in." in signed_in.content.decode()
    assert "Successfully signed in" not in signed_in.content.decode()
