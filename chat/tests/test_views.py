"""The customer's panel endpoints: start, polling fallback, limits, warnings, launcher."""

import pytest
from django.core import mail
from django.test import Client

from chat import services
from chat.models import Chat, ChatMessage

from .conftest import start_chat
from .factories import ChatFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_start_needs_an_agent_online_and_offers_a_ticket_otherwise():
    response = Client().post("/chat/start/", {"name": "Dana", "email": "dana@example.com"}, content_type=JSON)
    assert response.status_code == 409
    assert response.json()["error"] == "no_agents"
    assert response.json()["ticket_url"] == "/help/contact/"
    assert not Chat.objects.exists()


def test_start_validates_name_and_email(agent_online):
    client = Client()
    bad_email = client.post("/chat/start/", {"name": "Dana", "email": "nope"}, content_type=JSON)
    no_name = client.post("/chat/start/", {"name": "  ", "email": "dana@example.com"}, content_type=JSON)
    assert (bad_email.status_code, bad_email.json()["error"]) == (400, "email_invalid")
    assert (no_name.status_code, no_name.json()["error"]) == (400, "name_required")


def test_start_refuses_a_name_with_hidden_characters(agent_online):
    """Agents read the name in the queue: a text-direction override would reorder the text around it."""
    response = Client().post(
        "/chat/start/", {"name": "Dana \u202e(support)", "email": "dana@example.com"}, content_type=JSON
    )
    assert (response.status_code, response.json()["error"]) == (400, "name_invalid")
    assert "invisible formatting characters" in response.json()["detail"]
    assert not Chat.objects.exists()


def test_start_keeps_a_name_in_any_script(agent_online):
    client = Client()
    start_chat(client, name="دانة 👩\u200d💻")
    assert Chat.objects.get().name == "دانة 👩\u200d💻"


def test_a_message_sent_by_polling_loses_the_controls_that_reorder_text(agent_online):
    client = Client()
    start_chat(client)
    response = client.post("/chat/send/", {"body": "my file is \u202egnp.exe\u202c ok"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["message"]["body"] == "my file is gnp.exe ok"
    assert ChatMessage.objects.get(sender="customer").body == "my file is gnp.exe ok"


def test_signed_in_customer_chats_as_their_account(agent_online, customer_client, customer_account):
    chat_id = start_chat(customer_client, email="someone-else@example.com")
    chat = Chat.objects.get(public_id=chat_id)
    assert chat.email == customer_account.user.email
    assert chat.account == customer_account and chat.user == customer_account.user


def test_chat_survives_page_loads_in_the_same_session_only(agent_online):
    client = Client()
    chat_id = start_chat(client)
    client.post("/chat/send/", {"body": "first"}, content_type=JSON)
    state = client.get("/chat/state/").json()
    assert state["chat"]["id"] == chat_id and state["chat"]["status"] == "waiting"
    assert [m["body"] for m in state["messages"]] == ["first"]
    # Starting again while it is open returns the same chat.
    assert start_chat(client) == chat_id
    assert Client().get("/chat/state/").json()["chat"] is None


def test_the_transcript_polled_by_a_signed_out_customer_is_never_cached(agent_online):
    """Found from outside: /chat/state/ answers the chat's messages with no Cache-Control when the
    customer is signed out (the signed-in no-store rule does not see an anonymous session)."""
    client = Client()
    start_chat(client)
    client.post("/chat/send/", {"body": "my order number is 1234"}, content_type=JSON)
    response = client.get("/chat/state/")
    assert response.json()["messages"] and "no-store" in response["Cache-Control"]


def test_polling_fallback_sees_agent_messages_and_typing(agent_online, agent):
    client = Client()
    chat_id = start_chat(client)
    chat = Chat.objects.get(public_id=chat_id)
    services.chat_pick_up(chat=chat, agent=agent)
    first = client.get("/chat/state/").json()
    last_id = first["messages"][-1]["id"]
    assert first["chat"]["status"] == "active"

    services.chat_typing(chat=chat, sender="agent")
    assert client.get(f"/chat/state/?after={last_id}").json()["agent_typing"] is True
    services.chat_message_post(chat=chat, sender="agent", author=agent, body="How can I help?")
    polled = client.get(f"/chat/state/?after={last_id}").json()
    assert [(m["sender"], m["body"]) for m in polled["messages"]] == [("agent", "How can I help?")]
    # The message was what they were typing: the line goes with it.
    assert polled["agent_typing"] is False


def test_customer_typing_ends_with_their_message_and_with_the_chat(agent_online, agent):
    """Polling agents were told "Customer is typing…" after the message arrived, and for ever
    once the chat had ended (a closed panel polls no more)."""
    agent_client = Client()
    agent_client.force_login(agent)
    client = Client()
    chat = Chat.objects.get(public_id=start_chat(client))
    services.chat_pick_up(chat=chat, agent=agent)
    agent_poll = f"/support/chat/{chat.public_id}/messages/"

    client.post("/chat/typing/", content_type=JSON)
    assert agent_client.get(agent_poll).json()["customer_typing"] is True
    client.post("/chat/send/", {"body": "I am locked out"}, content_type=JSON)
    assert agent_client.get(agent_poll).json()["customer_typing"] is False

    client.post("/chat/typing/", content_type=JSON)
    client.post("/chat/close/", content_type=JSON)
    assert agent_client.get(agent_poll).json()["customer_typing"] is False
    # Typing into an ended chat tells nobody anything.
    services.chat_typing(chat=chat, sender="customer")
    assert agent_client.get(agent_poll).json()["customer_typing"] is False


def test_message_size_limit_and_empty_message(agent_online, settings):
    client = Client()
    start_chat(client)
    too_long = client.post(
        "/chat/send/", {"body": "x" * (settings.CHAT_MESSAGE_MAX_CHARS + 1)}, content_type=JSON
    )
    empty = client.post("/chat/send/", {"body": "   "}, content_type=JSON)
    huge = client.post("/chat/send/", "{" + '"a":1,' * 5000 + '"b":1}', content_type=JSON)
    assert (too_long.status_code, too_long.json()["error"]) == (400, "too_long")
    assert empty.json()["error"] == "empty"
    assert huge.json()["error"] == "too_large"
    assert not ChatMessage.objects.exists()


def test_message_rate_limit_per_session_and_ip(agent_online, settings):
    settings.CHAT_RATE_MESSAGES = "3/m"
    client = Client()
    start_chat(client)
    codes = [client.post("/chat/send/", {"body": f"m{n}"}, content_type=JSON).status_code for n in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_chat_starts_rate_limited_per_ip(agent_online, settings):
    settings.CHAT_RATE_STARTS_PER_IP = "2/h"
    codes = [
        Client().post("/chat/start/", {"name": "D", "email": "d@example.com"}, content_type=JSON).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize(
    "text",
    ["password: hunter2", "my pw=correct horse", "here it is Zx9!kq2Lm#v", "Passphrase = trust-no-one"],
)
def test_password_like_message_is_refused_until_confirmed(agent_online, text):
    client = Client()
    start_chat(client)
    refused = client.post("/chat/send/", {"body": text}, content_type=JSON)
    assert (refused.status_code, refused.json()["error"]) == (400, "looks_like_password")
    assert not ChatMessage.objects.exists()
    sent = client.post("/chat/send/", {"body": text, "confirmed": True}, content_type=JSON)
    assert sent.status_code == 201 and sent.json()["message"]["flagged"] is True


def test_ordinary_messages_are_not_flagged(agent_online):
    client = Client()
    start_chat(client)
    for text in [
        "My password is not accepted any more",
        "My account ID is 7KQ4M9X2PB",
        "I wrote to dana.smith+vault@example.com",
        "See https://vault.example/reset/?step=2",
    ]:
        response = client.post("/chat/send/", {"body": text}, content_type=JSON)
        assert response.status_code == 201, text
        assert response.json()["message"]["flagged"] is False


def test_html_is_stored_and_sent_as_plain_text(agent_online):
    client = Client()
    start_chat(client, name="<b>Dana</b>")
    body = '<img src=x onerror="alert(1)">'
    sent = client.post("/chat/send/", {"body": body, "confirmed": True}, content_type=JSON)
    assert sent.json()["message"]["body"] == body  # JSON text; the panel sets it with textContent
    assert Chat.objects.get().name == "<b>Dana</b>"


def test_customer_ends_chat_then_transcript_email_is_queued_once(
    agent_online, django_capture_on_commit_callbacks
):
    client = Client()
    start_chat(client, email="dana@example.com")
    client.post("/chat/send/", {"body": "Thanks!"}, content_type=JSON)
    early = client.post("/chat/transcript/")
    assert (early.status_code, early.json()["error"]) == (409, "not_ended")
    assert client.post("/chat/close/").json()["chat"]["status"] == "closed"
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/chat/transcript/")
    assert sent.status_code == 202 and sent.json() == {"sent_to": "dana@example.com"}
    assert client.post("/chat/transcript/").json()["error"] == "already_sent"
    [message] = mail.outbox
    assert message.to == ["dana@example.com"] and "Thanks!" in message.body
    # Closed chat: a new message is refused.
    assert client.post("/chat/send/", {"body": "again"}, content_type=JSON).json()["error"] == "closed"


def test_endpoints_without_a_chat_answer_404():
    client = Client()
    for url in ("/chat/send/", "/chat/typing/", "/chat/close/", "/chat/transcript/"):
        assert client.post(url, {}, content_type=JSON).status_code == 404


def test_csrf_is_enforced_on_chat_posts(agent_online):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/chat/start/", {"name": "Dana", "email": "dana@example.com"}, content_type=JSON)
    assert response.status_code == 403


def test_customer_cannot_read_someone_elses_chat(agent_online):
    other = ChatFactory()
    client = Client()
    session = client.session
    session["unrelated"] = 1
    session.save()
    assert client.get(f"/chat/state/?chat={other.public_id}").json()["chat"] is None


class TestLauncher:
    def test_shown_on_reset_pages_with_the_chat_button_when_an_agent_is_online(self, agent_online):
        body = Client().get("/reset/").content.decode()
        assert 'id="chat-launcher"' in body and 'src="/static/js/chat.js"' in body
        assert 'data-online="1"' in body

    def test_offers_a_ticket_when_no_agent_is_online(self):
        body = Client().get("/reset/").content.decode()
        assert 'data-online="0"' in body
        assert 'href="/help/contact/"' in body and "No agent is online right now." in body

    def test_not_shown_elsewhere(self, agent_online):
        assert 'id="chat-launcher"' not in Client().get("/").content.decode()

    def test_prefills_the_signed_in_customers_email(self, agent_online, customer_client, customer_account):
        body = customer_client.get("/reset/").content.decode()
        assert f'value="{customer_account.user.email}" readonly' in body

    def test_help_pages_get_it_too(self, rf, agent_online):
        from chat.context_processors import chat_launcher

        request = rf.get("/help/articles/reset/")
        request.session = {}
        assert chat_launcher(request)["CHAT_LAUNCHER"] is True
        request = rf.get("/helpdesk/")
        assert chat_launcher(request) == {}

    def test_page_has_no_inline_script_or_style(self, agent_online):
        body = Client().get("/reset/").content.decode()
        launcher = body[body.index('id="chat-launcher"') : body.index("</aside>")]
        assert "style=" not in launcher and "onclick" not in launcher
        assert "<script>" not in launcher
