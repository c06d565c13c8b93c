"""My requests: a customer finds the request they sent signed out, answers it by e-mail through the
real inbound SMTP listener, answers it on the page, and marks it solved."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

from support.inbound import inbound_smtp_controller
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inbound_listener():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = inbound_smtp_controller(hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def _reply_by_email(port: int, *, confirmation, sender: str, text: str) -> None:
    """What a mail program does: answer to the Reply-To, the original quoted under the new text."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = confirmation["Reply-To"]
    reply["Subject"] = f"Re: {confirmation['Subject']}"
    original = confirmation.get_body(preferencelist=("plain",)).get_content()
    quoted = "\n".join(f"> {line}" for line in original.splitlines())
    reply.set_content(f"{text}\n\n--\nSent from my phone\n\nOn Monday, support wrote:\n{quoted}\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(reply)


def test_customer_finds_answers_by_email_and_closes_a_request(journey, site, customer, inbound_listener):
    # Signed out, from the address of their account.
    visitor = journey("my-requests-visitor")
    visitor.goto("/help/contact/")
    form = visitor.page.get_by_role("main")
    form.get_by_label("Your e-mail address").fill(customer.email)
    form.get_by_label("What is it about?").select_option(label="Signing in and devices")
    form.get_by_label("Subject").fill("New phone cannot sign in")
    form.get_by_label("Your message").fill("My new phone asks for a QR code I cannot find.")
    visitor.page.get_by_role("button", name="Send my request").click()
    [confirmation] = site.mail.wait_for_messages(1, to=customer.email)
    assert confirmation["Reply-To"].startswith("reply+")

    # The customer answers the confirmation e-mail from their mail program.
    _reply_by_email(
        inbound_listener, confirmation=confirmation, sender=customer.email, text="I found the QR code e-mail."
    )

    # Signed in: "My requests" in the header lists it, with the e-mailed answer on the page.
    j = journey("my-requests")
    sign_in(j, customer.email, customer.password)
    j.page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My requests")
    item = j.page.locator(".request-item").filter(has_text="New phone cannot sign in")
    expect(item).to_contain_text("Received")
    expect(item).to_contain_text("Last message from you")
    j.step("list")

    item.get_by_role("link", name="New phone cannot sign in").click()
    thread = j.page.get_by_role("region", name="Conversation")
    expect(thread).to_contain_text("I found the QR code e-mail.")
    expect(thread).not_to_contain_text("Sent from my phone")  # signature stripped
    expect(thread).not_to_contain_text("support wrote")  # quoted history stripped
    j.step("request")

    main = j.page.get_by_role("main")
    main.get_by_label("Your reply").fill("And it works now, thank you.")
    main.get_by_role("button", name="Send", exact=True).click()
    expect(thread).to_contain_text("And it works now, thank you.")
    j.page.get_by_role("button", name="Mark as solved").click()
    expect(j.page.get_by_role("status")).to_contain_text("marked as solved")
    expect(j.page.get_by_role("button", name="Mark as solved")).to_have_count(0)
    j.step("solved")

    j.page.get_by_role("link", name="← My requests").click()
    expect(j.page.locator(".request-item").filter(has_text="New phone cannot sign in")).to_contain_text(
        "Solved"
    )

    # A reply to the solved request adds nothing and gets a polite answer.
    _reply_by_email(
        inbound_listener, confirmation=confirmation, sender=customer.email, text="One more thing."
    )
    _, polite = site.email(to=customer.email, count=2)
    assert "Nothing was changed" in polite and "solved" in polite
    j.page.get_by_role("link", name="New phone cannot sign in").click()
    expect(j.page.get_by_role("region", name="Conversation")).not_to_contain_text("One more thing.")
