"""Customer and agent over real WebSockets, through the ASGI app and the channel layer.

With REDIS_URL set the channel layer is channels-redis, so these frames go through Redis.
"""

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from chat.models import Chat, ChatEvent, ChatMessage
from chat.presence import agents_online

from .conftest import start_chat
from .factories import AgentFactory, ChatFactory
from .wsutil import communicator, of_type, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_and_agent_exchange_messages(agent_online, agent_client):
    customer = Client()
    chat_id = start_chat(customer, name="Dana", email="dana@example.com")

    async def scenario():
        agent_ws = communicator("/ws/support/chat/", agent_client)
        assert (await agent_ws.connect())[0]
        customer_ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await customer_ws.connect())[0]

        await agent_ws.send_json_to({"type": "pick_up", "chat": chat_id})
        picked = await receive_until(agent_ws, of_type("picked_up"))
        assert picked["chat"]["name"] == "Dana" and picked["chat"]["mine"] is True
        joined = await receive_until(customer_ws, of_type("status", status="active"))
        assert joined["chat"] == chat_id

        await customer_ws.send_json_to({"type": "typing"})
        typing = await receive_until(agent_ws, of_type("typing", sender="customer"))
        assert typing["chat"] == chat_id

        await customer_ws.send_json_to({"type": "message", "body": "I lost my phone and my laptop."})
        got = await receive_until(agent_ws, of_type("message"))
        assert got["message"] == {
            **got["message"],
            "sender": "customer",
            "body": "I lost my phone and my laptop.",
        }

        await agent_ws.send_json_to(
            {"type": "message", "chat": chat_id, "body": "Are you still able to unlock any device?"}
        )
        reply = await receive_until(
            customer_ws, lambda f: f.get("type") == "message" and f["message"]["sender"] == "agent"
        )
        assert reply["message"]["body"] == "Are you still able to unlock any device?"

        await agent_ws.send_json_to({"type": "close", "chat": chat_id})
        await receive_until(customer_ws, of_type("status", status="closed"))
        await customer_ws.disconnect()
        await agent_ws.disconnect()

    async_to_sync(scenario)()

    chat = Chat.objects.get(public_id=chat_id)
    assert chat.status == Chat.Status.CLOSED and chat.agent == agent_online
    assert list(chat.messages.exclude(sender="system").values_list("sender", "body")) == [
        ("customer", "I lost my phone and my laptop."),
        ("agent", "Are you still able to unlock any device?"),
    ]
    assert set(chat.events.values_list("action", flat=True)) >= {
        ChatEvent.Action.STARTED,
        ChatEvent.Action.PICKED_UP,
        ChatEvent.Action.CLOSED,
    }


def test_agent_console_connection_counts_as_online(agent_client):
    assert not agents_online()

    async def scenario():
        agent_ws = communicator("/ws/support/chat/", agent_client)
        assert (await agent_ws.connect())[0]
        await agent_ws.disconnect()

    async_to_sync(scenario)()
    assert agents_online()


def test_two_agents_picking_up_at_once_over_websockets_exactly_one_wins(agent_online):
    chat = ChatFactory()
    clients = []
    for agent in (agent_online, AgentFactory()):
        client = Client()
        client.force_login(agent)
        clients.append(client)

    async def scenario():
        sockets = [communicator("/ws/support/chat/", client) for client in clients]
        for ws in sockets:
            assert (await ws.connect())[0]
        for ws in sockets:
            await ws.send_json_to({"type": "pick_up", "chat": str(chat.public_id)})
        outcomes = [
            await receive_until(ws, lambda f: f["type"] in ("picked_up", "pick_up_failed")) for ws in sockets
        ]
        for ws in sockets:
            await ws.disconnect()
        return sorted(frame["type"] for frame in outcomes)

    assert async_to_sync(scenario)() == ["pick_up_failed", "picked_up"]
    assert ChatEvent.objects.filter(chat=chat, action=ChatEvent.Action.PICKED_UP).count() == 1


def test_customer_socket_refused_without_the_session_that_started_the_chat(agent_online):
    owner = Client()
    chat_id = start_chat(owner)
    stranger = Client()
    stranger.get("/chat/state/")  # a session of its own

    async def scenario():
        results = []
        for client in (stranger, None):
            ws = communicator(f"/ws/chat/{chat_id}/", client)
            results.append((await ws.connect())[0])
            await ws.disconnect()
        return results

    assert async_to_sync(scenario)() == [False, False]


def test_socket_from_another_origin_is_refused(agent_online):
    owner = Client()
    chat_id = start_chat(owner)

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", owner, origin=b"https://evil.example")
        connected = (await ws.connect())[0]
        await ws.disconnect()
        return connected

    assert async_to_sync(scenario)() is False


@pytest.mark.parametrize("who", ["anonymous", "customer", "plain_staff"])
def test_agent_socket_refused_to_everyone_but_support_staff(who, customer_account, plain_staff):
    client = Client()
    if who == "customer":
        client.force_login(customer_account.user)
    elif who == "plain_staff":
        client.force_login(plain_staff)

    async def scenario():
        ws = communicator("/ws/support/chat/", client if who != "anonymous" else None)
        connected = (await ws.connect())[0]
        await ws.disconnect()
        return connected

    assert async_to_sync(scenario)() is False


def test_customer_cannot_act_as_agent_over_their_socket(agent_online):
    customer = Client()
    chat_id = start_chat(customer)

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "pick_up", "chat": chat_id})
        error = await receive_until(ws, of_type("error"))
        await ws.disconnect()
        return error

    assert async_to_sync(scenario)()["error"] == "unknown"
    assert Chat.objects.get(public_id=chat_id).status == Chat.Status.WAITING


def test_password_like_message_needs_confirmation_over_the_socket(agent_online):
    customer = Client()
    chat_id = start_chat(customer)

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "message", "body": "password: Tr0ub4dor&3xyz"})
        warning = await receive_until(ws, of_type("error"))
        await ws.send_json_to({"type": "message", "body": "password: Tr0ub4dor&3xyz", "confirmed": True})
        stored = await receive_until(ws, of_type("message"))
        await ws.disconnect()
        return warning, stored

    warning, stored = async_to_sync(scenario)()
    assert warning["error"] == "looks_like_password"
    assert stored["message"]["flagged"] is True
    message = ChatMessage.objects.get(chat__public_id=chat_id, sender="customer")
    assert message.flagged_secret
    assert ChatEvent.objects.filter(action=ChatEvent.Action.SECRET_FLAGGED).count() == 1


def test_a_message_over_the_socket_loses_the_controls_that_reorder_text(agent_online):
    """A bidi override in a message must not reorder what surrounds it; marks and lines stay."""
    customer = Client()
    chat_id = start_chat(customer)
    sent, kept = "\u2067invoice\u2069 \u202egnp.exe\nשלום\u200f!\ufeff", "invoice gnp.exe\nשלום\u200f!"

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "message", "body": sent})
        stored = await receive_until(ws, of_type("message"))
        await ws.disconnect()
        return stored

    stored = async_to_sync(scenario)()
    assert stored["message"]["body"] == kept
    assert ChatMessage.objects.get(chat__public_id=chat_id, sender="customer").body == kept


def test_socket_size_and_rate_limits(agent_online, settings):
    settings.CHAT_RATE_MESSAGES = "3/m"
    customer = Client()
    chat_id = start_chat(customer)

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await ws.connect())[0]
        await ws.send_to(text_data="x" * (settings.CHAT_FRAME_MAX_BYTES + 1))
        too_large = await receive_until(ws, of_type("error"))
        await ws.send_json_to({"type": "message", "body": "y" * (settings.CHAT_MESSAGE_MAX_CHARS + 1)})
        too_long = await receive_until(ws, of_type("error"))
        await ws.send_to(text_data="not json")
        bad = await receive_until(ws, of_type("error"))
        codes = []
        for n in range(3):
            await ws.send_json_to({"type": "message", "body": f"message {n}"})
            frame = await receive_until(ws, lambda f: f["type"] in ("message", "error"))
            codes.append(frame.get("error", "ok"))
        await ws.disconnect()
        return too_large["error"], too_long["error"], bad["error"], codes

    too_large, too_long, bad, codes = async_to_sync(scenario)()
    assert (too_large, too_long, bad) == ("too_large", "too_long", "bad_frame")
    # The over-long message counted against the limit too: 3 per minute in all.
    assert codes == ["ok", "ok", "rate_limited"]
    assert ChatMessage.objects.filter(chat__public_id=chat_id, sender="customer").count() == 2


def test_channel_layer_is_redis_when_redis_is_configured(settings):
    from channels.layers import get_channel_layer

    expected = "RedisChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert type(get_channel_layer()).__name__ == expected
