"""The account page on a phone and a desktop: devices as stacked rows, sign out all devices, the
hint checked on the device, closing the account with its receipt."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_account_page_on_a_phone_hint_and_sign_out_everywhere(journey, customer_with_vault):
    customer = customer_with_vault
    j = journey("account")
    sign_in(j, customer.email, customer.password)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    devices = j.page.get_by_role("region", name="Devices")
    expect(devices).to_contain_text("Windows")
    expect(devices).to_contain_text("Android")
    expect(j.page.get_by_role("link", name="What is a key generation?")).to_be_visible()
    j.step("overview")  # also at 375 px: nothing sticks out sideways, axe clean

    # On a phone each device is a block of labelled lines, not a table that scrolls sideways.
    j.page.set_viewport_size({"width": 375, "height": 800})
    row = devices.locator("tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    assert j.page.evaluate("document.documentElement.scrollWidth") <= 375
    j.page.set_viewport_size({"width": 1280, "height": 800})

    # The hint: refused on this device when it holds the password (nothing sent).
    j.page.get_by_role("link", name="Change your password hint").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Change your password hint")
    j.page.get_by_label("New password hint").fill(f"it is {customer.password}")
    j.page.get_by_label("Your Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Save the hint").click()
    expect(j.page.get_by_role("alert").filter(has_text="One thing to fix")).to_contain_text("hint")
    expect(j.page).to_have_url(j.url("/account/hint/"))
    j.step("hint-refused")
    j.page.get_by_label("New password hint").fill("the blue notebook")
    j.page.get_by_role("button", name="Save the hint").click()
    expect(j.page.get_by_role("status").filter(has_text="Your password hint is changed")).to_be_visible()
    customer.account.refresh_from_db()
    assert customer.account.password_hint == "the blue notebook"

    j.page.get_by_role("button", name="Sign out all devices").click()
    expect(j.page.get_by_role("status").filter(has_text="Signed out 2 app(s)")).to_be_visible()
    expect(j.page.get_by_role("region", name="Devices")).to_contain_text("No app is signed in")
    expect(j.page.get_by_role("link", name="Vault for Android")).to_be_visible()
    j.step("signed-out-everywhere")


def test_close_the_account_yourself(journey, site, customer):
    j = journey("account-close")
    sign_in(j, customer.email, customer.password)
    j.page.get_by_role("link", name="Close my account").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Close your account")
    expect(j.page.get_by_role("note").filter(has_text="What closing does")).to_contain_text("Your licence")
    j.step("form")

    j.allow_console_error(r"status of 400")
    j.page.get_by_label("to confirm").fill("yes")
    j.page.get_by_label("Your Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Close my account").click()
    expect(j.page.get_by_role("alert")).to_contain_text("exactly")
    j.step("confirmation-missing")

    j.page.get_by_label("to confirm").fill("close my account")
    j.page.get_by_label("Your Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Close my account").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Your account is closed")
    j.step("closed")
    [receipt] = site.mail.wait_for_messages(1, to=customer.email)
    assert receipt["Subject"] == "[Vault] Your account was closed"
    customer.account.refresh_from_db()
    assert customer.account.closed_by_customer
