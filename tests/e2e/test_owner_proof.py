"""Support knows who it is talking to (issue 19), in a real browser, through the real worker.

The app path: a signed-in customer chats; the agent's re-send of the reset e-mail is refused
until the owner is proven; the agent asks; the customer's reference client (`python -m
vaultclient`, a subprocess, on a device that did the QR ownership proof) lists the request and
approves the code the agent sees; the console shows "owner proven with the app on 'Pixel 8' at
HH:MM" and the reset e-mail goes out. The e-mailed-code path: a customer with no app has a
ticket; the code arrives through the worker; they type it on the page; the console shows it,
marked weak.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.harness import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_WEBSOCKET = r"WebSocket connection to .* failed"
REFUSED_PAGE = r"Failed to load resource: the server responded with a status of 403"
PASSWORD = "Saffron-Kettle-Orbit-31"
PROVEN_AT = re.compile(r"Owner proven with (.+) at (\d\d):(\d\d)")


def _signed_in_as(j, site, email: str) -> None:
    """Start the journey signed in (sign-in has journeys of its own; staff are enrolled)."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    j.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site.url}])


def _vaultclient(site, state, *args: str) -> str:
    """The customer's reference client on the command line, as a separate process."""
    env = {**os.environ, "VAULT_SERVER": site.url, "VAULT_STATE": str(state), "VAULT_PASSWORD": PASSWORD}
    done = subprocess.run(
        [sys.executable, "-m", "vaultclient", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"vaultclient {args}: {done.stderr}"
    return done.stdout.strip()


def _qr_png(site, email: str, path) -> None:
    """Save the QR code of the account-key e-mail (the image, not its text fallback) to `path`."""
    message = next(m for m in site.mail.wait_for_messages(2, to=email) if "QR code" in str(m["Subject"]))
    [png] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    path.write_bytes(png.get_content())


def _customer_with_a_verified_phone(site, unique_email, tmp_path):
    """Sign up with the app on a laptop (account key set up), then verify "Pixel 8" with the QR code."""
    from vaultclient import VaultClient, crypto

    email = unique_email()
    laptop = VaultClient(
        site.url,
        tmp_path / "laptop.json",
        kdf=crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1),
    )
    laptop.signup(email=email, password=PASSWORD)
    laptop.signin(email=email, password=PASSWORD, device_name="Work laptop")
    laptop.key_setup(password=PASSWORD)
    phone = tmp_path / "phone.json"
    qr = tmp_path / "qr.png"
    _qr_png(site, email, qr)
    assert _vaultclient(site, phone, "signin", email, "--device-name", "Pixel 8").startswith(
        "owner_verification_required"
    )
    assert "verified" in _vaultclient(site, phone, "verify", "--png", str(qr))
    return email, phone


def _proven_at_now(text: str) -> str:
    """Check the "at HH:MM" of the console's result is now (UTC) and return how it was proven."""
    match = PROVEN_AT.search(text)
    assert match, text
    shown = int(match.group(2)) * 60 + int(match.group(3))
    now = timezone.localtime(timezone.now())
    assert any(shown == (t.hour * 60 + t.minute) for t in (now, now - timedelta(minutes=1))), (
        match.group(0),
        now,
    )
    return match.group(1)


def test_the_agent_asks_in_a_chat_and_the_customers_app_approves(
    journey, site, agent, unique_email, tmp_path, settings
):
    settings.OWNER_PROOF_REQUIRED_FOR = {"reset_email": True, "licence_change": False, "account_close": False}
    email, phone = _customer_with_a_verified_phone(site, unique_email, tmp_path)

    # The agent is on duty; the signed-in customer starts a chat from the help pages.
    j = journey("owner-proof-chat")
    j.allow_console_error(NO_WEBSOCKET)
    j.allow_console_error(REFUSED_PAGE)
    _signed_in_as(j, site, agent.email)
    j.goto("/support/chat/")
    customer = journey("owner-proof-customer")
    customer.allow_console_error(NO_WEBSOCKET)
    _signed_in_as(customer, site, email)
    customer.goto("/help/")
    customer.page.get_by_role("button", name="Chat with us").click()
    panel = customer.page.get_by_role("region", name="Chat with support")
    expect(panel.get_by_text("we confirm who you are through your app")).to_be_visible()
    panel.get_by_label("Your name").fill("Dana")
    panel.get_by_role("button", name="Start chat").click()
    j.page.get_by_role("button", name="Pick up").click(timeout=20_000)
    chat_panel = j.page.locator(".chat-agent-panel")
    expect(chat_panel.get_by_role("heading", name="Dana")).to_be_visible()
    chat_panel.get_by_role("link", name="Full transcript").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Chat with Dana")
    box = j.page.get_by_test_id("owner-proof")
    expect(box).to_contain_text("Identity not proven")
    # The customer reads their account page meanwhile: the chat panel stops polling there (the
    # live server's SQLite locks whole tables, and the app's requests below write too).
    customer.goto("/account/")

    # Re-sending the reset e-mail needs the owner proven in this chat first.
    j.page.get_by_label("Reason").fill("Customer asked in the chat")
    j.page.get_by_label("The customer asked for it in this chat").check()
    j.page.get_by_role("button", name="Send the reset e-mail").click()
    expect(j.page.get_by_role("alert")).to_contain_text("This action needs an owner proof first")
    expect(j.page.get_by_label("Reason")).to_have_value("Customer asked in the chat")
    j.step("chat-proof-required")

    # The agent asks; the server picks the app; the box shows the code the customer's app shows.
    j.page.get_by_role("button", name="Ask the customer to prove it is them").click()
    expect(box).to_contain_text("Waiting for the customer to confirm with the app")
    expect(box).to_contain_text("strong")
    code = j.page.get_by_test_id("proof-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    j.step("chat-proof-pending")

    # The customer's unlocked app lists it (same code, the agent's name) and approves it.
    listed = _vaultclient(site, phone, "support-requests")
    assert listed.startswith(code) and agent.email.split("@")[0].capitalize() in listed and "chat" in listed
    assert "Approved" in _vaultclient(site, phone, "approve", code)
    assert _vaultclient(site, phone, "support-requests") == "(no pending request)"

    j.page.reload()
    result = j.page.get_by_test_id("proof-result")
    expect(result).to_contain_text("Owner proven with the app on 'Pixel 8' at")
    assert _proven_at_now(result.inner_text()) == "the app on 'Pixel 8'"
    expect(box).to_contain_text("strong")
    expect(box).not_to_contain_text(code)
    j.step("chat-proof-approved")

    # Now the reset e-mail goes out, to the account's own address; the customer reads it in the chat.
    received = sum(1 for message in site.mail.messages if email in str(message["To"]))
    j.page.get_by_label("Reason").fill("Customer asked in the chat")
    j.page.get_by_label("The customer asked for it in this chat").check()
    j.page.get_by_role("button", name="Send the reset e-mail").click()
    expect(j.page.get_by_text(f"The reset e-mail is on its way to {email}")).to_be_visible()
    assert site.email_link(to=email, path_prefix="/reset/", count=received + 1)

    # The customer's security events say so, and the chat tells them the e-mail is on its way.
    customer.page.reload()
    expect(customer.page.get_by_text("Vault support checked it was you")).to_be_visible()
    customer.step("security-events")
    customer.goto("/help/")
    expect(panel).to_contain_text(
        "We have sent the reset e-mail to your account's own address", timeout=20_000
    )


def test_a_customer_without_the_app_proves_it_with_the_e_mailed_code(journey, site, agent, customer):
    from mailer.models import OutboundEmail
    from support.tests.factories import TicketFactory

    ticket = TicketFactory(account=customer.account, email=customer.email, subject="Locked out")
    j = journey("owner-proof-ticket")
    _signed_in_as(j, site, agent.email)
    j.goto(f"/support/tickets/{ticket.pk}/")
    box = j.page.get_by_test_id("owner-proof")
    j.page.get_by_role("button", name="Ask the customer to prove it is them").click()
    expect(box).to_contain_text(
        "Waiting for the customer to confirm with a code e-mailed to the account's address"
    )
    expect(box).to_contain_text("weak")
    j.step("ticket-proof-pending")

    # The code comes through the real worker to the account's own address, and nowhere else.
    subject, text = site.email(to=customer.email)
    assert "Support asks you to confirm it is you" in subject
    code = re.search(r"Your code: (\d{8})", text).group(1)
    link = site.email_link(to=customer.email, path_prefix="/proof/")
    assert site.inboxes() == {customer.email}
    row = OutboundEmail.objects.get(kind="proofs.owner_code")
    assert code not in repr((row.context, row.text_body, row.html_body))
    expect(box).not_to_contain_text(code)

    answer = journey("owner-proof-answer")
    answer.page.goto(link)
    expect(answer.page.get_by_text("we confirm who you are through your app")).to_be_visible()
    answer.step("code-form")
    answer.page.get_by_label("The code we e-mailed to you").fill(code)
    answer.page.get_by_role("button", name="Confirm").click()
    expect(answer.page.get_by_text("Thank you: support now knows it is you.")).to_be_visible()
    answer.step("code-accepted")

    j.page.reload()
    result = j.page.get_by_test_id("proof-result")
    assert _proven_at_now(result.inner_text()) == "a code e-mailed to the account's address"
    expect(result).to_contain_text("weak: e-mail only")
    expect(j.page.locator("body")).not_to_contain_text(code)
    j.step("ticket-proof-approved")

    # Single use: the same code on the same page does nothing more.
    answer.allow_console_error(r"Failed to load resource: the server responded with a status of 410")
    answer.page.goto(link)
    expect(answer.page.get_by_text("This request is no longer open")).to_be_visible()
