"""Issue 17: the chat console in the console menu, the agent's availability switch, opening hours,
times in the site's format, and what the agent reads when the customer ends the chat."""

import pytest
from django.test import Client

from chat import services
from chat.models import ChatMessage
from chat.presence import agent_available_set, agent_presence_beat, agents_online
from chat.tests.conftest import start_chat

from .factories import AgentFactory, ChatFactory

pytestmark = pytest.mark.django_db


def test_every_console_page_links_the_chat_console_with_the_waiting_count(agent_client):
    ChatFactory.create_batch(2)
    for url in ("/support/", "/support/tickets/", "/support/chat/"):
        html = agent_client.get(url).content.decode()
        assert 'href="/support/chat/"' in html, url
        assert 'id="chat-waiting-count">2<span class="visually-hidden"> waiting</span>' in html, url
    chat_page = agent_client.get("/support/chat/").content.decode()
    assert 'href="/support/chat/" aria-current="page"' in chat_page
    assert 'aria-label="Support console"' in chat_page  # the console menu is there


def test_no_count_when_nobody_waits(agent_client):
    assert 'id="chat-waiting-count"' not in agent_client.get("/support/").content.decode()


def test_customers_never_see_the_count(customer_client):
    ChatFactory()
    assert customer_client.get("/support/").status_code == 404
    assert "chat-waiting-count" not in customer_client.get("/help/").content.decode()


def test_availability_switch_takes_the_agent_off_and_on(agent, agent_client):
    assert agent_client.get("/support/chat/").status_code == 200  # the page beats: online
    assert agents_online()
    off = agent_client.post(
        "/support/chat/availability/", {"available": False}, content_type="application/json"
    )
    assert off.status_code == 200 and off.json() == {"available": False, "agents_online": False}
    assert not agents_online()
    assert (
        "checked"
        not in agent_client.get("/support/chat/").content.decode().split('id="chat-available"')[1][:40]
    )
    assert agent_client.get("/support/chat/queue/").json()["available"] is False
    assert not agents_online()  # opening the page again keeps the switch as it was
    on = agent_client.post(
        "/support/chat/availability/", {"available": True}, content_type="application/json"
    )
    assert on.json() == {"available": True, "agents_online": True}


def test_availability_needs_a_yes_or_no(agent_client):
    response = agent_client.post("/support/chat/availability/", {}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_one_available_agent_is_enough():
    busy, free = AgentFactory(), AgentFactory()
    agent_presence_beat(agent_id=busy.pk)
    agent_available_set(agent_id=busy.pk, available=False)
    assert not agents_online()
    agent_presence_beat(agent_id=free.pk)
    assert agents_online()


def test_customers_read_opening_hours_when_nobody_is_available(settings, agent):
    settings.CHAT_OPENING_HOURS = "Monday to Friday, 8:00 to 20:00 CET"
    agent_presence_beat(agent_id=agent.pk)
    agent_available_set(agent_id=agent.pk, available=False)
    client = Client()
    body = client.get("/reset/").content.decode()
    assert "Live chat is open Monday to Friday, 8:00 to 20:00 CET." in body
    assert client.get("/chat/state/").json()["opening_hours"] == settings.CHAT_OPENING_HOURS
    refused = client.post("/chat/start/", {"name": "Dana"}, content_type="application/json")
    assert refused.status_code == 409
    assert "Monday to Friday, 8:00 to 20:00 CET" in refused.json()["detail"]


def test_ticket_pages_do_not_offer_a_ticket_instead():
    for url in ("/help/contact/", "/help/contact/sent/"):
        body = Client().get(url).content.decode()
        if 'id="chat-launcher"' in body:
            assert 'id="chat-offline" hidden' in body.replace("\n", " ").replace(
                'class="chat-offline" ', ""
            ), url
    assert 'id="chat-offline">' in Client().get("/help/").content.decode().replace(
        'class="chat-offline" ', ""
    )


def test_message_times_use_the_sites_format(agent_online):
    client = Client()
    start_chat(client)
    client.post("/chat/send/", {"body": "Hello"}, content_type="application/json")
    message = client.get("/chat/state/").json()["messages"][-1]
    message_obj = ChatMessage.objects.get(pk=message["id"])
    assert message["time"] == message_obj.created_at.strftime("%-d %b %Y, %H:%M")


def test_agent_reads_that_the_customer_ended_the_chat(agent, agent_online, agent_client):
    customer = Client()
    chat_id = start_chat(customer)
    agent_client.post(f"/support/chat/{chat_id}/pick-up/")
    ended = customer.post("/chat/close/").json()["messages"]
    assert ended[-1]["body"].startswith("You ended the chat.")
    seen = agent_client.get(f"/support/chat/{chat_id}/messages/").json()["messages"][-1]
    assert seen["agent_body"] == "The customer ended the chat."
    transcript = agent_client.get(f"/support/chat/{chat_id}/").content.decode()
    assert "The customer ended the chat." in transcript and "You ended the chat" not in transcript


def test_agent_ending_the_chat_reads_it_in_their_words(agent, agent_online, agent_client):
    customer = Client()
    chat_id = start_chat(customer)
    agent_client.post(f"/support/chat/{chat_id}/pick-up/")
    agent_client.post(f"/support/chat/{chat_id}/close/")
    assert customer.get("/chat/state/").json()["messages"][-1]["body"].startswith("The agent ended the chat.")
    assert agent_client.get(f"/support/chat/{chat_id}/messages/").json()["messages"][-1]["agent_body"] == (
        "You ended the chat."
    )


def test_chat_close_service_stores_the_customers_wording(agent_online):
    chat = ChatFactory()
    services.chat_close(chat=chat, by_customer=True)
    assert chat.messages.last().body.startswith("You ended the chat.")


def test_transcript_text_uses_the_sites_format(agent_online):
    from chat.selectors import chat_transcript_text

    chat = ChatFactory()
    services.chat_close(chat=chat, by_customer=True)
    message = chat.messages.last()
    assert f"[{message.created_at.strftime('%-d %b %Y, %H:%M')} UTC]" in chat_transcript_text(chat=chat)


def test_system_lines_of_a_transcript_are_notices_not_a_dash(agent_online, agent_client):
    """The ticket made from a chat and the e-mailed transcript read "—: A support agent has joined
    the chat."; the panels call these lines "Notice", and so do they now."""
    from chat.emails import transcript_email_render
    from chat.selectors import chat_transcript_text
    from mailer.models import OutboundEmail

    chat = ChatFactory()
    services.chat_close(chat=chat, by_customer=True)
    assert "UTC] Notice:\nYou ended the chat." in chat_transcript_text(chat=chat)
    assert "UTC] —:" not in chat_transcript_text(chat=chat)
    email = OutboundEmail(to=chat.email, kind="chat.transcript", context={"chat_id": chat.pk})
    rendered = transcript_email_render(email)
    html = rendered.alternatives[0][0]
    assert '<strong style="color:#1b2330;">Notice</strong>' in html
    assert "If you need more help, visit" in rendered.body
    page = agent_client.get(f"/support/chat/{chat.public_id}/").content.decode()
    assert '<span class="chat-message-meta">Notice ·' in page
