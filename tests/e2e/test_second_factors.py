"""Second factors in a real browser: a passkey enrolled and used to sign in through Chromium's
virtual authenticator (CDP WebAuthn domain), and the staff gate before enrolment."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in, virtual_authenticator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_passkey_enrolment_then_sign_in_with_the_passkey(journey, customer, site):
    from allauth.mfa.models import Authenticator

    j = journey("passkey")
    virtual_authenticator(j)
    sign_in(j, customer.email, customer.password)
    expect(j.page.get_by_role("heading", name="Second factors")).to_be_visible()
    j.page.get_by_role("link", name="Add a passkey").click()

    # allauth asks to confirm it is you: the zero-knowledge form, never a posted password.
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    j.page.get_by_label("Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Confirm").click()

    expect(j.page.get_by_role("heading", level=1)).to_contain_text("Add")
    j.step("add-passkey")
    expect(j.page.get_by_label("Also sign in with this passkey")).to_be_checked()
    j.page.get_by_role("button", name="Add the passkey").click()
    j.page.wait_for_url(lambda url: "/webauthn/add" not in url)
    assert Authenticator.objects.filter(user=customer.account.user, type="webauthn").exists()
    j.step("passkey-added")
    subject, _ = site.email(to=customer.email)
    assert "second factor was added" in subject

    # Signed out, then in again with the passkey alone.
    j.page.context.clear_cookies()
    j.goto("/accounts/login/")
    j.page.get_by_role("button", name="Use a passkey instead").click()
    j.page.wait_for_url(lambda url: "/accounts/login/" not in url)
    j.goto("/account/")
    expect(j.page).to_have_url(j.url("/account/"))  # signed in: not sent back to the sign-in page
    expect(j.page.get_by_text("Passkey, added")).to_be_visible()


def test_staff_without_a_second_factor_are_led_to_enrolment(journey, agent):
    from accounts.models import User

    User.objects.filter(email=agent.email).first().authenticator_set.all().delete()
    j = journey("staff-gate")
    sign_in(j, agent.email, agent.password)
    j.page.wait_for_url(lambda url: "/accounts/login/" not in url)
    j.allow_console_error("status of 403")
    j.goto("/support/", status=403)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Add a second factor first")
    j.step("console-needs-factor")
    j.page.get_by_role("link", name="Set up a second factor").click()
    expect(j.page).to_have_url(j.url("/accounts/2fa/"))


def test_reset_link_asks_for_the_authenticator_code_first(journey, site, customer):
    """A TOTP journey through the reset link: the code step, a wrong code, then the form."""
    from accounts.tests.factories import totp_code, totp_enroll

    totp_enroll(customer.account.user)
    j = journey("reset-second-factor")
    j.goto("/reset/")
    j.page.locator("#id_email").fill(customer.email)
    j.page.get_by_role("button", name="Start reset").click()
    link = site.email_link(to=customer.email, path_prefix="/reset/link/")
    j.page.goto(link)
    expect(j.page.get_by_role("heading", name="Enter a code")).to_be_visible()
    expect(j.page.get_by_role("heading", name="Lost your second factor too?")).to_be_visible()
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_have_count(0)
    j.step("factor")

    j.allow_console_error(r"status of 400 .*/reset/link/factor/")
    j.page.get_by_label("Code from your authenticator app, or a recovery code").fill("000000")
    j.page.get_by_role("button", name="Continue").click()
    expect(j.page.get_by_role("alert").first).to_contain_text("Incorrect code")
    j.step("factor-wrong-code")

    j.page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp_code())
    j.page.get_by_role("button", name="Continue").click()
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_be_visible()
