"""Sign up with a hint → verification e-mail over SMTP → confirm → sign in → account page."""

import pytest
from playwright.sync_api import expect

from accounts.models import Account

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Marmalade-Comet-2024"


def test_sign_up_verify_email_sign_in_and_see_the_account_id(journey, site, unique_email):
    email = unique_email()
    j = journey("sign-up")
    j.goto("/")
    j.step("home")

    j.page.get_by_role("link", name="Create an account").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Create your account")
    j.page.get_by_label("Email").fill(email)
    j.page.locator("#id_password1").fill(PASSWORD)
    j.page.get_by_label("Account Password, again").fill(PASSWORD)
    j.page.get_by_label("Password hint (optional)").fill("breakfast and the sky")
    j.step("form")
    j.page.get_by_role("button", name="Create account").click()

    expect(j.page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    j.step("verification-sent")

    link = site.email_link(to=email, path_prefix="/accounts/confirm-email/")
    j.page.goto(link)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    j.step("confirm-email")
    j.page.get_by_role("button", name="Confirm").click()

    expect(j.page).to_have_url(site.url + "/accounts/login/")
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(PASSWORD)
    j.step("sign-in")
    j.page.get_by_role("button", name="Sign in", exact=True).click()

    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    account_id = Account.objects.get(user__email=email).account_id
    expect(j.page.locator("dd.mono")).to_have_text(account_id)
    j.step("account")


def test_a_hint_that_contains_the_password_is_refused_inline(journey, unique_email):
    email = unique_email()
    j = journey("sign-up")
    j.goto("/accounts/signup/")
    j.page.get_by_label("Email").fill(email)
    j.page.locator("#id_password1").fill(PASSWORD)
    j.page.get_by_label("Account Password, again").fill(PASSWORD)
    hint = j.page.get_by_label("Password hint (optional)")
    hint.fill(f"it is {PASSWORD.lower()}")
    j.page.get_by_role("button", name="Create account").click()

    expect(j.page.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(hint).to_have_attribute("aria-invalid", "true")
    error = j.page.locator("#id_password_hint_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("password")
    assert "id_password_hint_error" in hint.get_attribute("aria-describedby").split()
    # Checked on this device: the form was not sent at all (the server cannot see the password).
    expect(j.page).to_have_url(j.url("/accounts/signup/"))
    expect(j.page.get_by_role("alert").filter(has_text="One thing to fix")).to_contain_text("hint")
    j.step("hint-contains-password")
    assert not Account.objects.filter(user__email=email).exists()
