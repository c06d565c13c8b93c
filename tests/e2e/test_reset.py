"""The account reset as a locked-out customer lives it: hint, request, e-mail link, form, done, cancel.

Every link is read from the e-mail the worker sent over SMTP, never from the database.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lighthouse-Parsnip-8812"
DEAD_LINK = r"status of 410 .*/reset/"


def _request_reset(j, email: str, *, step: str | None = None) -> None:
    """From the notice page, ask for a reset link for `email`."""
    j.goto("/reset/")
    if step:
        j.step(step)
    j.page.locator("#id_email").fill(email)
    j.page.get_by_role("button", name="Start reset").click()
    expect(j.page).to_have_url(j.url("/reset/requested/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Check your inbox")


def _fill_reset_form(
    j, *, email: str, password: str = NEW_PASSWORD, again: str | None = None, hint: str = ""
):
    page = j.page
    page.get_by_label(re.compile(r"^New Account Password(?!,)")).fill(password)
    page.get_by_label("New Account Password, again").fill(password if again is None else again)
    page.get_by_label("New password hint (optional)").fill(hint)
    page.get_by_label("Type your account e-mail address to confirm").fill(email)


def _submit_reset_form(j):
    j.page.get_by_role("button", name="Erase my vault and reset my account").click()


def _expect_field_error(j, field_id: str, text: str):
    field = j.page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = j.page.locator(f"#{field_id}_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(text)
    assert f"{field_id}_error" in (field.get_attribute("aria-describedby") or "").split()


def test_locked_out_customer_asks_for_the_password_hint_by_email(journey, site, customer):
    j = journey("hint")
    j.goto("/reset/")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Locked out of every device?")
    j.page.get_by_role("region", name="Try your password hint first").get_by_label(
        "Your account e-mail address"
    ).fill(customer.email)
    j.page.get_by_role("button", name="E-mail me my password hint").click()

    expect(j.page).to_have_url(j.url("/reset/hint/sent/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    j.step("sent")

    subject, text = site.email(to=customer.email)
    assert subject == "[Vault] Your password hint"
    assert "Your hint: my usual hint" in text
    assert site.url + "/reset/" in text


def test_reset_from_the_email_link_to_signing_in_with_the_new_password(journey, site, customer_with_vault):
    customer = customer_with_vault
    j = journey("reset")
    _request_reset(j, customer.email, step="notice")
    j.step("requested")

    subject, _ = site.email(to=customer.email)
    assert subject == "[Vault] Account reset"
    link = site.email_link(to=customer.email, path_prefix="/reset/link/")
    token = link.rsplit("/", 2)[-2]
    j.page.goto(link)
    # The token leaves the address bar on the first load and is nowhere in the page.
    expect(j.page).to_have_url(j.url("/reset/link/"))
    assert token not in j.page.url and token not in j.page.content()
    expect(j.page.get_by_role("heading", level=1)).to_have_text(f"Reset the account {customer.email}")
    expect(j.page.get_by_role("region", name="Can you still open one of these?")).to_contain_text(
        "Work laptop"
    )
    expect(j.page.get_by_role("region", name="Keep an encrypted copy first")).to_contain_text("3 records")
    j.step("form")
    # The destructive button looks destructive; the backup download does not look like the main action.
    expect(j.page.get_by_role("button", name="Erase my vault and reset my account")).to_have_css(
        "background-color", "rgb(180, 35, 24)"
    )
    expect(j.page.get_by_role("button", name="Download encrypted backup")).to_have_css(
        "background-color", "rgb(255, 255, 255)"
    )

    # Every mistake is answered inline, next to its field, and nothing is erased.
    j.allow_console_error(r"status of 400 .*/reset/link/")
    _fill_reset_form(j, email=customer.email, again="Lighthouse-Parsnip-8813")
    _submit_reset_form(j)
    _expect_field_error(j, "id_password2", "do not match")
    _expect_field_error(j, "id_confirm_erase", "Tick this box")
    summary = j.page.get_by_role("alert").filter(has_text="things to fix")
    expect(summary).to_contain_text("do not match")
    summary.get_by_role("link", name=re.compile("do not match")).click()
    expect(j.page.locator("#id_password2")).to_be_focused()
    j.step("errors-mismatch")

    _fill_reset_form(j, email=customer.email, password="password123")
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).check()
    _submit_reset_form(j)
    _expect_field_error(j, "id_password1", "too easy to guess")
    assert "password123" not in j.page.content()
    j.step("errors-weak")

    _fill_reset_form(j, email=customer.email, hint=f"it is {NEW_PASSWORD}")
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).check()
    _submit_reset_form(j)
    _expect_field_error(j, "id_hint", "password")
    assert NEW_PASSWORD not in j.page.content()
    j.step("errors-hint")

    _fill_reset_form(j, email=customer.email, hint="lighthouse vegetables")
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).uncheck()
    _submit_reset_form(j)
    _expect_field_error(j, "id_confirm_erase", "Tick this box")
    j.step("errors-confirmation")
    customer.account.refresh_from_db()
    assert customer.account.key_generation == 1 and customer.account.vault_items.count() == 3

    _fill_reset_form(j, email=customer.email, hint="lighthouse vegetables")
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).check()
    _submit_reset_form(j)
    expect(j.page).to_have_url(j.url("/reset/done/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Your account was reset")
    j.step("done")

    subject, text = site.email(to=customer.email, count=2)
    assert subject == "[Vault] Your account was reset"
    assert "New key generation: 2" in text and "3 vault records deleted" in text

    # Not signed in by the reset: the old password fails, the new one works.
    j.page.get_by_role("link", name="Sign in on the web").click()
    j.page.get_by_label("Email").fill(customer.email)
    j.page.get_by_label("Password").fill(customer.password)
    j.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(j.page.get_by_role("alert")).to_contain_text("do not match")

    j.page.get_by_label("Password").fill(NEW_PASSWORD)
    j.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    facts = j.page.get_by_role("region", name="Account")
    expect(facts.locator("dt:has-text('Key generation') + dd .key-generation")).to_have_text("2")
    expect(facts.locator("dd.mono")).to_have_text(customer.account.account_id)
    j.step("account")


def test_the_reset_form_can_be_completed_with_the_keyboard_only(journey, site, customer):
    j = journey("keyboard")
    _request_reset(j, customer.email)
    j.page.goto(site.email_link(to=customer.email, path_prefix="/reset/link/"))
    expect(j.page).to_have_url(j.url("/reset/link/"))

    keyboard = j.page.keyboard
    j.tab_to("#id_password1", max_presses=40)
    keyboard.type(NEW_PASSWORD)
    j.tab_to("#id_password2")
    keyboard.type(NEW_PASSWORD)
    j.tab_to("#id_hint")
    keyboard.type("the lamp by the sea")
    j.tab_to("#id_confirm_email")
    keyboard.type(customer.email)
    j.tab_to("#id_confirm_erase")
    keyboard.press("Space")
    expect(j.page.locator("#id_confirm_erase")).to_be_checked()
    j.tab_to("button.button-danger")
    keyboard.press("Enter")

    expect(j.page).to_have_url(j.url("/reset/done/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Your account was reset")
    customer.account.refresh_from_db()
    assert customer.account.key_generation == 2


def test_this_was_not_me_cancels_the_reset_and_kills_the_link(journey, site, customer_with_vault):
    customer = customer_with_vault
    j = journey("cancel")
    _request_reset(j, customer.email)
    reset_link = site.email_link(to=customer.email, path_prefix="/reset/link/")
    cancel_link = site.email_link(to=customer.email, path_prefix="/reset/cancel/")

    j.page.goto(cancel_link)
    expect(j.page).to_have_url(j.url("/reset/cancel/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Cancel the account reset?")
    j.step("confirm")
    j.page.get_by_role("button", name="Cancel the reset").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("The reset is cancelled")
    j.step("cancelled")

    j.allow_console_error(DEAD_LINK)
    j.page.goto(reset_link)
    _expect_dead_link_page(j)
    j.step("dead-link")
    customer.account.refresh_from_db()
    assert customer.account.key_generation == 1 and customer.account.vault_items.count() == 3

    # The cancel link works once; opened again it says what happened, not "ask for a new link".
    response = j.page.goto(cancel_link)
    assert response.status == 410
    expect(j.page).to_have_url(j.url("/reset/cancel/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("The reset is cancelled")
    expect(j.page.get_by_role("button", name="Cancel the reset")).to_have_count(0)
    expect(j.page.get_by_role("link", name="Ask for a new link")).to_have_count(0)


def _expect_dead_link_page(j):
    expect(j.page).to_have_url(re.compile(r"/reset/(link|cancel)/$"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(j.page.locator("body")).not_to_contain_text("Traceback")
    expect(j.page.get_by_role("link", name="Ask for a new link")).to_have_attribute("href", "/reset/")


def test_an_expired_link_gets_a_clear_page(journey, site, customer, monkeypatch):
    from datetime import timedelta

    from django.conf import settings

    from resets.tokens import default_token_generator

    j = journey("expired")
    j.allow_console_error(DEAD_LINK)
    _request_reset(j, customer.email)
    link = site.email_link(to=customer.email, path_prefix="/reset/link/")
    later = default_token_generator._now() + timedelta(minutes=settings.RESET_LINK_TTL_MINUTES + 1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    j.page.goto(link)
    _expect_dead_link_page(j)
    j.step("link")
    j.page.get_by_role("link", name="Ask for a new link").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Locked out of every device?")


def test_a_used_link_gets_a_clear_page(journey, site, customer):
    j = journey("reused")
    _request_reset(j, customer.email)
    link = site.email_link(to=customer.email, path_prefix="/reset/link/")
    j.page.goto(link)
    _fill_reset_form(j, email=customer.email)
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).check()
    _submit_reset_form(j)
    expect(j.page).to_have_url(j.url("/reset/done/"))

    j.allow_console_error(DEAD_LINK)
    j.page.goto(link)
    # A link that completed its reset says so, and when: sign in with the new password.
    expect(j.page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    expect(j.page.locator("main")).to_contain_text("Sign in with your new password")
    expect(j.page.get_by_role("link", name="Sign in", exact=True).last).to_have_attribute(
        "href", "/accounts/login/"
    )
    j.step("used-link")
    customer.account.refresh_from_db()
    assert customer.account.key_generation == 2


def test_the_chat_launcher_on_the_reset_page_offers_a_ticket_when_nobody_is_online(journey):
    j = journey("chat")
    j.goto("/reset/")
    launcher = j.page.locator("#chat-launcher")
    expect(launcher.get_by_text("No agent is online right now.")).to_be_visible()
    expect(j.page.get_by_role("button", name="Chat with us")).to_be_hidden()
    j.step("offline")
    launcher.get_by_role("link", name="Open a ticket instead").click()
    expect(j.page).to_have_url(re.compile(r"/help/contact/"))
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Write to support")


def test_the_chat_launcher_follows_agents_who_leave_after_the_page_was_made(journey, agent):
    """The page is made while an agent is online; by the time its script asks, nobody is. The
    customer must then read the offline notice and its ticket link, not be left with neither."""
    from accounts.models import User
    from chat.presence import agent_presence_beat

    agent_presence_beat(agent_id=User.objects.get(email=agent.email).pk)
    j = journey("chat-left")

    def nobody_online(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "online": False})

    j.page.route("**/chat/state/**", nobody_online)
    j.goto("/reset/")
    launcher = j.page.locator("#chat-launcher")
    expect(launcher.get_by_text("No agent is online right now.")).to_be_visible()
    expect(launcher.get_by_role("link", name="Open a ticket instead")).to_be_visible()
    expect(j.page.get_by_role("button", name="Chat with us")).to_be_hidden()
    j.step("agents-left")


def test_the_chat_start_form_shows_each_refusal_under_its_own_field(journey, agent):
    from accounts.models import User
    from chat.presence import agent_presence_beat

    agent_presence_beat(agent_id=User.objects.get(email=agent.email).pk)
    j = journey("chat-start")
    j.allow_console_error(r"status of 400 .*/chat/start/")  # Chromium logs each refused start
    j.goto("/reset/")
    j.page.get_by_role("button", name="Chat with us").click()
    panel = j.page.get_by_role("region", name="Chat with support")
    panel.get_by_role("button", name="Start chat").click()
    name = panel.get_by_label("Your name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", "chat-name-error")
    expect(j.page.locator("#chat-name-error")).to_have_text(
        "Please tell us your name (at most 100 characters)."
    )
    expect(name).to_be_focused()
    expect(j.page.locator("#chat-error")).to_be_hidden()
    j.step("name-missing")

    name.fill("Dana \u202e(support)")  # a text-direction override, as pasted
    panel.get_by_role("button", name="Start chat").click()
    expect(j.page.locator("#chat-name-error")).to_contain_text("invisible formatting characters")
    expect(name).to_be_focused()
    j.step("name-hidden-characters")

    name.fill("Dana")
    email = panel.get_by_label("Your e-mail address")
    email.fill("dana.example.com")
    panel.get_by_role("button", name="Start chat").click()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(j.page.locator("#chat-email-error")).to_have_text("Please enter a valid e-mail address.")
    expect(name).not_to_have_attribute("aria-invalid", "true")
    expect(j.page.locator("#chat-name-error")).to_be_hidden()
    j.step("email-wrong")
