"""Keyboard only: after a refused form, the focus lands on what to fix (the error box, or the
first field with an error), so nobody has to Tab through the whole page again to find it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab_to_and_press_enter(j, selector: str) -> None:
    j.tab_to(selector, max_presses=40)
    j.page.keyboard.press("Enter")
    j.page.wait_for_load_state("load")


def test_a_refused_sign_in_puts_the_focus_on_its_error(journey, customer):
    j = journey("keyboard-refused")
    j.goto("/accounts/login/")
    j.tab_to("#id_login")
    j.page.keyboard.type(customer.email)
    j.page.keyboard.press("Tab")
    j.page.keyboard.type("not-the-password-at-all")
    j.page.keyboard.press("Enter")
    alert = j.page.get_by_role("alert")
    expect(alert).to_contain_text("do not match")
    expect(alert).to_be_focused()
    j.step("sign-in-refused")


def test_the_reset_notice_puts_the_focus_on_the_field_to_fix(journey):
    j = journey("keyboard-refused")
    j.allow_console_error(r"status of 400")
    j.goto("/reset/")
    j.page.locator("#id_email").focus()
    j.page.keyboard.type("nope@")
    _tab_to_and_press_enter(j, "form[action$='/reset/request/'] button[type=submit]")
    field = j.page.locator("#id_email")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    j.step("reset-refused")

    # The hint form above it, sent empty: its own field.
    j.goto("/reset/")
    _tab_to_and_press_enter(j, "form[action$='/reset/hint/'] button[type=submit]")
    expect(j.page.locator("#id_hint-email")).to_be_focused()


def test_an_empty_ticket_form_puts_the_focus_on_its_first_field(journey):
    j = journey("keyboard-refused")
    j.allow_console_error(r"status of 400")
    j.goto("/help/contact/")
    _tab_to_and_press_enter(j, "main form button[type=submit]")
    expect(j.page.locator("main form [aria-invalid=true]").first).to_be_focused()
    j.step("ticket-refused")
