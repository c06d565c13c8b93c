"""Second factors in a real browser: a passkey enrolled and used to sign in, to pass the reset
link's factor step and to prove the owner to support (Chromium's virtual authenticator, CDP
WebAuthn domain), and the staff gate before enrolment."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in, staff_sign_in, virtual_authenticator

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


def _passkey_enrol(j, customer) -> None:
    """Sign in and add a passkey that is only a second factor (not for signing in: the pages below
    must name it in their challenge), in the journey's virtual authenticator."""
    from allauth.mfa.models import Authenticator

    sign_in(j, customer.email, customer.password)
    j.page.get_by_role("link", name="Add a passkey").click()
    j.page.get_by_label("Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Confirm").click()
    j.page.get_by_label("Also sign in with this passkey").uncheck()
    j.page.get_by_role("button", name="Add the passkey").click()
    j.page.wait_for_url(lambda url: "/webauthn/add" not in url)
    assert Authenticator.objects.filter(user=customer.account.user, type="webauthn").exists()


def test_reset_link_takes_the_passkey(journey, site, customer):
    """A customer whose factor is a passkey (not a passwordless one: the page names the
    credentials) passes the reset link's step with it, signed out, and reaches the reset form."""
    j = journey("reset-passkey")
    cdp, authenticator = virtual_authenticator(j)
    _passkey_enrol(j, customer)
    site.email(to=customer.email, count=2)  # "second factor added", "recovery codes added": sent
    j.page.context.clear_cookies()

    j.goto("/reset/")
    j.page.locator("#id_email").fill(customer.email)
    j.page.get_by_role("button", name="Start reset").click()
    # The third e-mail: "a second factor was added", "recovery codes were added", then the link.
    j.page.goto(site.email_link(to=customer.email, path_prefix="/reset/link/", count=3))
    expect(j.page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    expect(j.page.get_by_label("One of your recovery codes")).to_be_visible()  # no authenticator app
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_have_count(0)
    j.step("factor")

    # On a device without this passkey the browser gives no answer: the page says so in words.
    [credential] = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    j.page.get_by_role("button", name="Use your passkey").click()
    expect(j.page.locator("[data-webauthn-status]")).to_contain_text("The passkey was not used")
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_have_count(0)
    j.step("factor-no-answer")

    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": credential})
    j.page.get_by_role("button", name="Use your passkey").click()
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_be_visible()
    j.step("form")
    j.goto("/account/")
    expect(j.page).not_to_have_url(j.url("/account/"))  # the passkey step signed nobody in


def test_owner_proof_with_a_passkey(journey, site, customer, agent):
    """Issue 19, path 2: the agent asks, the server picks the passkey (no signed-in app), the
    customer opens the link signed out and uses the passkey, the console shows the result."""
    from django.utils import timezone

    from proofs.models import OwnerProof

    c = journey("owner-proof-passkey")
    virtual_authenticator(c)
    _passkey_enrol(c, customer)
    site.email(to=customer.email, count=2)  # the worker is done with the enrolment's e-mails
    c.page.context.clear_cookies()

    a = journey("owner-proof-console")
    staff_sign_in(a, agent.email, agent.password)
    account_page = f"/support/accounts/{customer.account.account_id}/"
    a.goto(account_page)
    a.page.get_by_role("button", name="Ask the customer to prove it is them").click()
    panel = a.page.get_by_test_id("owner-proof")
    expect(panel).to_contain_text("Waiting for the customer to confirm with a passkey or authenticator code")
    a.step("asked")
    link = panel.get_by_test_id("proof-link").inner_text()  # what the agent pastes into the chat

    c.page.goto(link)
    expect(c.page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(c.page.get_by_role("heading", name="Or enter a code from your authenticator app")).to_have_count(0)
    c.step("answer")
    c.page.get_by_role("button", name="Use your passkey").click()
    expect(c.page.get_by_text("support now knows it is you")).to_be_visible()
    c.step("proven")

    proof = OwnerProof.objects.get(account=customer.account)
    assert proof.status == "approved" and proof.method == "second_factor"
    at = timezone.localtime(proof.decided_at).strftime("%H:%M")
    a.goto(account_page)
    expect(a.page.get_by_test_id("proof-result")).to_contain_text(f"Owner proven with a passkey at {at}")
    expect(a.page.get_by_test_id("proof-result")).to_contain_text("strong")
    a.step("proven")
