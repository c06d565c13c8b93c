"""The agent's live chat inside the console (issue 17): menu entry with the waiting count, the
"available for chat" switch, opening hours for customers, and the chat itself."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import MOBILE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The live server speaks HTTP only: the chat's WebSocket fails once and the page polls instead.
NO_WEBSOCKET = r"WebSocket connection to .* failed"


def _signed_in_as(j, site, email: str) -> None:
    """Start the journey signed in (the sign-in page has journeys of its own in test_sign_in.py)."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    j.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site.url}])


def test_agent_finds_the_chat_in_the_console_menu_and_takes_a_chat(journey, site, agent, settings):
    settings.CHAT_OPENING_HOURS = "Monday to Friday, 9:00 to 17:00 UTC"
    j = journey("console-chat")
    j.allow_console_error(NO_WEBSOCKET)
    _signed_in_as(j, site, agent.email)
    j.goto("/")
    j.page.get_by_role("navigation", name="Main").get_by_role("link", name="Support console").click()
    menu = j.page.get_by_role("navigation", name="Support console")
    menu.get_by_role("link", name="Live chat").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Live chat")
    expect(menu.get_by_role("link", name="Live chat")).to_have_attribute("aria-current", "page")
    available = j.page.get_by_role("switch", name="Available for chat")
    expect(available).to_be_checked()
    j.step("chat-console")

    # A customer on the help pages starts a chat; the console menu counts it.
    visitor = journey("chat-customer")
    visitor.allow_console_error(NO_WEBSOCKET)
    visitor.goto("/help/")
    launcher_button = visitor.page.get_by_role("button", name="Chat with us")
    launcher_button.click()
    expect(launcher_button).to_be_hidden()  # the panel replaces the button while it is open
    panel = visitor.page.get_by_role("region", name="Chat with support")
    panel.get_by_label("Your name").fill("Dana")
    panel.get_by_label("Your e-mail address").fill("dana@example.com")
    panel.get_by_role("button", name="Start chat").click()
    expect(panel.get_by_text("Waiting for an agent")).to_be_visible()
    expect(panel.get_by_text("Connected.")).to_have_count(0)
    visitor.step("chat-waiting")

    # At 375 px the open panel stays below the site header.
    visitor.page.set_viewport_size(MOBILE)
    header = visitor.page.locator(".site-header").bounding_box()
    box = visitor.page.locator("#chat-panel").bounding_box()
    assert box["y"] >= header["y"] + header["height"], (box, header)
    visitor.page.set_viewport_size({"width": 1280, "height": 800})

    count = menu.locator("#chat-waiting-count")
    expect(count).to_have_text(re.compile(r"^1\s*waiting$"), timeout=20_000)
    # With a customer in the queue the page still fits a phone (the queue table scrolls in its box).
    expect(j.page.get_by_role("button", name="Pick up")).to_be_visible()
    j.step("chat-queue")
    j.page.get_by_role("button", name="Pick up").click()
    agent_panel = j.page.locator(".chat-agent-panel")
    expect(agent_panel.get_by_role("heading", name="Dana")).to_be_visible()
    expect(count).to_have_count(0, timeout=20_000)

    # Times read in the site's one format ("2 Dec 2026, 05:40").
    expect(panel.locator(".chat-message-meta").first).to_have_text(
        re.compile(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d$")
    )

    # The customer ends the chat: the agent reads it in their own words.
    panel.get_by_role("button", name="End chat").click()
    expect(agent_panel).to_contain_text("The customer ended the chat.", timeout=20_000)
    expect(agent_panel).not_to_contain_text("You ended the chat")
    j.step("chat-ended")

    # Off duty: customers read the opening hours and are offered a ticket.
    # Wait for the server to take the change: the box flips before the request is answered.
    with j.page.expect_response(lambda r: "/availability/" in r.url and r.request.method == "POST") as answer:
        available.uncheck()
    assert answer.value.ok
    expect(available).not_to_be_checked()
    later = journey("chat-offline")
    later.goto("/reset/")
    expect(later.page.get_by_text("Live chat is open Monday to Friday, 9:00 to 17:00 UTC.")).to_be_visible()
    expect(later.page.get_by_role("button", name="Chat with us")).to_be_hidden()
    later.step("opening-hours")
    # ... except on the ticket pages themselves, which do not offer "open a ticket instead".
    later.goto("/help/contact/")
    expect(later.page.get_by_role("link", name="Open a ticket instead")).to_be_hidden()


def test_api_docs_page_runs_without_console_errors(journey):
    j = journey("api-docs")
    j.goto("/api/v1/docs/")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Vault app API")
    expect(j.page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(j.page.locator("#error-account_reset")).to_contain_text("Erase the local vault")
    # Swagger UI's own layout adds a second <main> inside the portal's; ours keeps one landmark.
    expect(j.page.locator("main")).to_have_count(1)
    expect(j.page.locator("#swagger-ui #operations .opblock-tag").first).to_be_visible()
    expect(j.page.locator("#swagger-ui .models")).to_be_visible()
    j.page.get_by_role("link", name="Back to the Vault portal").wait_for()
    j.step("docs")
    j.page.get_by_role("link", name=re.compile("QR code")).first.click()
    expect(j.page.get_by_role("heading", level=1)).to_be_visible()
    j.step("qr-format")


def _picked_up_chat(journey, site, agent, *, name: str):
    """A customer on the help pages starts a chat and the agent picks it up: (agent, customer, panels)."""
    j = journey("console-chat-" + name.lower())
    j.allow_console_error(NO_WEBSOCKET)
    _signed_in_as(j, site, agent.email)
    j.goto("/support/chat/")
    visitor = journey("chat-customer-" + name.lower())
    visitor.allow_console_error(NO_WEBSOCKET)
    visitor.goto("/help/")
    visitor.page.get_by_role("button", name="Chat with us").click()
    panel = visitor.page.get_by_role("region", name="Chat with support")
    panel.get_by_label("Your name").fill(name)
    panel.get_by_label("Your e-mail address").fill(f"{name.lower()}@example.com")
    panel.get_by_role("button", name="Start chat").click()
    expect(panel.get_by_text("Waiting for an agent")).to_be_visible()
    j.page.get_by_role("button", name="Pick up").click(timeout=20_000)
    agent_panel = j.page.locator(".chat-agent-panel")
    expect(agent_panel.get_by_role("heading", name=name)).to_be_visible()
    return j, visitor, agent_panel, panel


def test_a_chat_turned_into_a_ticket_shows_the_ticket_instead_of_the_button(journey, site, agent):
    from support.models import Ticket

    j, _, agent_panel, panel = _picked_up_chat(journey, site, agent, name="Frida")
    agent_panel.get_by_role("button", name="Turn into ticket").click()
    ticket_link = agent_panel.get_by_role("link", name=re.compile(r"^T-\d{6}$"))
    expect(ticket_link).to_be_visible(timeout=20_000)
    ticket = Ticket.objects.get(email="frida@example.com")
    expect(ticket_link).to_have_text(ticket.number)
    expect(agent_panel.get_by_role("button", name="Turn into ticket")).to_have_count(0)
    expect(panel).to_contain_text(f"This conversation is now ticket {ticket.number}.", timeout=20_000)
    j.step("chat-ticket")
    ticket_link.click()
    expect(j.page).to_have_url(re.compile(rf"/support/tickets/{ticket.pk}/$"))
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(ticket.number)
    # Opened again (a new page load), the panel still shows the ticket and no button.
    j.goto("/support/chat/")
    expect(agent_panel.get_by_role("link", name=ticket.number)).to_be_visible(timeout=20_000)
    expect(agent_panel.get_by_role("button", name="Turn into ticket")).to_have_count(0)


def test_customer_is_typing_clears_on_a_message_after_a_pause_and_on_close(journey, site, agent):
    _, visitor, agent_panel, panel = _picked_up_chat(journey, site, agent, name="Gus")
    typing = agent_panel.get_by_text("Customer is typing…")
    message_box = panel.get_by_label("Your message")

    # A pause: shown while the customer types, gone a few seconds after the last keystroke.
    message_box.press_sequentially("Hello")
    expect(typing).to_be_visible(timeout=10_000)
    expect(typing).to_be_hidden(timeout=10_000)

    # A message: the line goes with it (it was the customer typing that message).
    message_box.press_sequentially("Hello, I am locked out")
    expect(typing).to_be_visible(timeout=10_000)
    message_box.press_sequentially(" of my vault", delay=250)  # still typing when it is sent
    message_box.press("Enter")
    expect(agent_panel.get_by_text("Hello, I am locked out of my vault")).to_be_visible(timeout=10_000)
    assert not typing.is_visible()

    # Typing again right after a message says so at once (the message ended the last "typing").
    visitor.page.wait_for_timeout(2_100)  # past the 2 s between two "typing" signals
    message_box.fill("Another question")  # a key: "typing" goes out
    message_box.press("Enter")
    expect(message_box).to_have_value("")
    message_box.press_sequentially("A")  # within 2 s of the last signal
    expect(typing).to_be_visible(timeout=10_000)
    message_box.fill("")

    # The customer types, then ends the chat: the closed panel does not say they are typing.
    message_box.press_sequentially("Thanks")
    expect(typing).to_be_visible(timeout=10_000)
    message_box.press_sequentially(", bye for now", delay=250)
    panel.get_by_role("button", name="End chat").click()
    expect(agent_panel).to_contain_text("The customer ended the chat.", timeout=20_000)
    expect(typing).to_be_hidden()
    visitor.page.wait_for_timeout(4_000)  # longer than a poll: nothing brings it back
    expect(typing).to_be_hidden()


def test_a_long_chat_scrolls_by_keyboard_on_both_sides(journey, site, agent):
    """axe (scrollable-region-focusable): once a chat outgrew its box, its message list scrolled with
    a mouse only, on the customer's panel and in the agent's."""
    from chat import services
    from chat.models import Chat

    j, visitor, agent_panel, panel = _picked_up_chat(journey, site, agent, name="Hana")
    chat = Chat.objects.get(email="hana@example.com")
    for number in range(12):
        services.chat_message_post(chat=chat, sender="customer", body=f"Line {number} of a long story")
    for page_panel in (agent_panel, panel):
        expect(page_panel.get_by_text("Line 11 of a long story")).to_be_visible(timeout=20_000)
    for side in (j, visitor):
        messages = side.page.locator("ol.chat-messages").first
        assert messages.evaluate("(list) => list.scrollHeight > list.clientHeight")
        side.step("long-chat")  # axe at 1280 and 375 px
        messages.focus()
        expect(messages).to_be_focused()
        expect(messages).to_have_accessible_name(re.compile("Messages"))


def test_a_long_queue_shows_the_longest_waiting_chats_and_says_how_many_more_wait(
    journey, site, agent, settings
):
    from chat.tests.factories import ChatFactory

    settings.CHAT_QUEUE_SHOWN = 2
    for name in ("Ari", "Bo", "Cy", "Di"):
        ChatFactory(name=name)
    j = journey("console-chat-long-queue")
    j.allow_console_error(NO_WEBSOCKET)
    _signed_in_as(j, site, agent.email)
    j.goto("/support/chat/")
    queue = j.page.locator("#chat-queue")
    expect(queue.get_by_role("button", name="Pick up")).to_have_count(2, timeout=20_000)
    expect(queue).to_contain_text("Ari")
    expect(queue).not_to_contain_text("Cy")
    expect(j.page.locator("#chat-waiting-count")).to_have_text(re.compile(r"^4\s*waiting$"))
    expect(j.page.locator("#chat-queue-more")).to_have_text(
        "2 more waiting: they appear here as the chats above are picked up."
    )
    j.step("chat-queue-long")


def _hold_sends(page, pattern: str) -> list:
    """Holds each POST to `pattern` until the test lets it go (a slow network): returns the held routes."""
    held = []

    def hold(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(pattern, hold)
    return held


def _release(side, held: list, **fulfil) -> None:
    for _ in range(100):  # the page's request may not have reached the route yet
        if held:
            break
        side.page.wait_for_timeout(100)
    route = held.pop()
    if fulfil:
        route.fulfill(**fulfil)
    else:
        route.continue_()


def test_text_typed_while_a_message_is_sent_stays_in_the_box(journey, site, agent):
    """Polling mode: the box was emptied when the send came back, taking what was typed meanwhile."""
    j, visitor, agent_panel, panel = _picked_up_chat(journey, site, agent, name="Ines")
    for side in (j, visitor):
        side.allow_console_error(r"status of 503 \(Service Unavailable\)")  # the refused sends below

    # The customer sends, keeps typing while the message is on its way: the new text stays; a send
    # that fails puts its text back, before what was typed since.
    message_box = panel.get_by_label("Your message")
    _typing_survives_the_send(
        visitor,
        message_box,
        "**/chat/send/",
        panel,
        sent="My vault does not open",
        typed="since this morning",
        refused="Can you help?",
        typed_after="Thanks",
    )
    expect(panel.get_by_text("Please try again.")).to_be_visible()

    # The agent's reply box keeps what the agent types while a reply is sent, too.
    _typing_survives_the_send(
        j,
        agent_panel.get_by_label("Reply to Ines"),
        "**/messages/",
        agent_panel,
        sent="Let us look at it together",
        typed="First, which browser",
        refused="Are you there?",
        typed_after="Hello",
    )


def _typing_survives_the_send(side, box, pattern, shown_in, *, sent, typed, refused, typed_after):
    """Send `sent` and type `typed` while it is held: it arrives and `typed` stays in the box. Then
    send `refused`, type `typed_after`, and fail the send: both are in the box, the refused first."""
    held = _hold_sends(side.page, pattern)
    box.fill(sent)
    box.press("Enter")
    expect(box).to_have_value("")  # the sent text leaves the box at once
    box.press_sequentially(typed)
    _release(side, held)
    expect(shown_in.get_by_text(sent)).to_be_visible(timeout=10_000)
    expect(box).to_have_value(typed)

    box.fill(refused)
    box.press("Enter")
    box.press_sequentially(typed_after)
    _release(side, held, status=503, json={"error": "unavailable", "detail": "Please try again."})
    expect(box).to_have_value(f"{refused}\n{typed_after}")


def test_typing_after_a_message_still_on_its_way_is_shown_to_the_agent(journey, site, agent):
    """Polling mode: the "typing" signal of a key pressed while the message was still on its way
    reached the server first, and the message (which ends "typing") then hid it from the agent."""
    _, visitor, agent_panel, panel = _picked_up_chat(journey, site, agent, name="Jon")
    typing = agent_panel.get_by_text("Customer is typing…")
    message_box = panel.get_by_label("Your message")
    held = _hold_sends(visitor.page, "**/chat/send/")
    message_box.fill("My phone was stolen")
    message_box.press("Enter")
    message_box.press_sequentially("A")  # a key while the message is held: "typing" goes out
    visitor.page.wait_for_timeout(1_000)  # time for a typing request sent at once to be answered
    _release(visitor, held)
    expect(agent_panel.get_by_text("My phone was stolen")).to_be_visible(timeout=10_000)
    expect(typing).to_be_visible(timeout=10_000)
