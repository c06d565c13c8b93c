"""A chat over real WebSockets, then its transcript e-mailed by the real worker over real SMTP."""

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from chat.models import Chat
from chat.tests.conftest import agent, agent_client, agent_online, clean_layer, start_chat  # noqa: F401, F811
from chat.tests.wsutil import communicator, of_type, receive_until
from mailer.models import OutboundEmail
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_transcript_is_emailed_through_the_worker(agent_online, agent_client, celery_worker, smtp_server):  # noqa: F811
    customer = Client()
    chat_id = start_chat(customer, name="Dana <Smith>", email="dana@example.com")

    async def scenario():
        agent_ws = communicator("/ws/support/chat/", agent_client)
        customer_ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await agent_ws.connect())[0] and (await customer_ws.connect())[0]
        await agent_ws.send_json_to({"type": "pick_up", "chat": chat_id})
        await receive_until(agent_ws, of_type("picked_up"))
        await customer_ws.send_json_to({"type": "message", "body": "I can't unlock <anything>."})
        await receive_until(agent_ws, of_type("message"))
        await customer_ws.send_json_to(
            {"type": "message", "body": "password: S3cret!Value", "confirmed": True}
        )
        await receive_until(agent_ws, lambda f: f.get("type") == "message" and f["message"]["flagged"])
        await agent_ws.send_json_to(
            {"type": "message", "chat": chat_id, "body": "Are you still able to unlock any device?"}
        )
        await receive_until(
            customer_ws, lambda f: f.get("type") == "message" and f["message"]["sender"] == "agent"
        )
        await customer_ws.disconnect()
        await agent_ws.disconnect()

    async_to_sync(scenario)()
    assert customer.post("/chat/close/").status_code == 200
    assert customer.post("/chat/transcript/").status_code == 202

    [message] = smtp_server.wait_for_messages(1, to="dana@example.com")
    assert message["Subject"] == "[Vault] Your chat with Vault support"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "I can't unlock <anything>." in text
    assert "Are you still able to unlock any device?" in text
    assert "I can&#x27;t unlock &lt;anything&gt;." in html and "<anything>" not in html
    assert "Dana &lt;Smith&gt;" in html
    for part in (text, html):
        assert "S3cret!Value" not in part and "looked like a password" in part
    chat = Chat.objects.get(public_id=chat_id)
    wait_for(
        lambda: OutboundEmail.objects.filter(
            kind="chat.transcript", status="sent", account=chat.account
        ).exists(),
        message="the transcript marked sent",
    )
