import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.test import Client

from accounts.tests.factories import AccountFactory, UserFactory
from chat.presence import agent_presence_beat

from .factories import AgentFactory


@pytest.fixture(autouse=True)
def clean_layer():
    """Channel-layer groups must not leak between tests (the root `_fresh_cache` empties the cache).

    Each test also gets a new layer object: channels-redis binds its locks to the event loop that
    first used them, and every `async_to_sync` runs its own loop.
    """
    channel_layers.backends.clear()
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()


@pytest.fixture
def agent():
    return AgentFactory()


@pytest.fixture
def agent_online(agent):
    agent_presence_beat(agent_id=agent.pk)
    return agent


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def customer_account():
    return AccountFactory()


@pytest.fixture
def customer_client(customer_account):
    client = Client()
    client.force_login(customer_account.user)
    return client


@pytest.fixture
def plain_staff():
    """Staff, but in no support group: must not see the chat console."""
    return UserFactory(is_staff=True)


def start_chat(client, *, name="Dana", email="dana@example.com", **extra):
    response = client.post(
        "/chat/start/", {"name": name, "email": email}, content_type="application/json", **extra
    )
    assert response.status_code == 200, response.content
    return response.json()["chat"]["id"]
