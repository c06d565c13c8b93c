"""Sign-in journeys: a wrong password, the way to the reset notice, and keyboard-only sign-in."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_gets_a_clear_error_and_keeps_the_email(journey, customer):
    j = journey("sign-in")
    j.goto("/accounts/login/")
    j.page.get_by_label("Email").fill(customer.email)
    j.page.get_by_label("Password").fill("not-the-password-at-all")
    j.page.get_by_role("button", name="Sign in", exact=True).click()

    alert = j.page.get_by_role("alert")
    expect(alert).to_contain_text("do not match")
    expect(j.page.get_by_label("Email")).to_have_value(customer.email)
    expect(j.page.get_by_label("Password")).to_have_value("")
    assert "not-the-password-at-all" not in j.page.content()
    j.step("wrong-password")


def test_forgot_your_password_leads_from_the_home_page_to_the_reset_notice(journey):
    j = journey("locked-out")
    j.goto("/")
    j.page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    j.step("sign-in")

    # The link has room of its own: it sat 3 px above "Keep me signed in" (a checkbox tapped instead).
    link = j.page.get_by_role("link", name="Forgot your password?").bounding_box()
    remember = j.page.locator(".field-checkbox").bounding_box()
    assert remember["y"] - (link["y"] + link["height"]) >= 12
    j.page.get_by_role("link", name="Forgot your password?").click()
    expect(j.page).to_have_url(j.url("/reset/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Locked out of every device?")
    expect(j.page.get_by_role("note")).to_contain_text("erases your vault")
    j.step("reset-notice")


def test_sign_in_with_the_keyboard_only(journey, customer):
    j = journey("keyboard")
    j.goto("/accounts/login/")

    visited = j.tab_to("#id_login")
    assert visited[0].startswith("<a> Skip to content"), f"The first Tab stop is not the skip link: {visited}"
    j.page.keyboard.type(customer.email)
    j.page.keyboard.press("Tab")
    expect(j.page.get_by_label("Password")).to_be_focused()
    j.page.keyboard.type(customer.password)
    j.page.keyboard.press("Enter")

    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(j.page.locator("dd.mono")).to_have_text(customer.account.account_id)


def test_the_skip_link_shows_when_focused_and_moves_focus_to_the_content(journey):
    j = journey("keyboard")
    j.goto("/")
    j.page.keyboard.press("Tab")
    skip = j.page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    j.page.keyboard.press("Enter")
    expect(j.page.locator("main")).to_be_focused()
