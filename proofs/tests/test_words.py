"""The words customers read before anyone asks them anything (issue 19): support never asks for a
secret, it confirms who you are through the app. In the reset article, the chat's greeting, the
proof page and the e-mailed code."""

import pytest
from django.test import Client
from django.urls import reverse

from chat.presence import agent_presence_beat
from chat.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

NEVER = (
    "Support will never ask for your password, your QR code or your recovery codes: "
    "we confirm who you are through your app."
)


def test_the_reset_article_says_it():
    from support.models import Article

    article = Article.objects.get(slug="account-reset")
    assert NEVER in article.body
    page = Client().get(reverse("help:article", args=["account-reset"])).content.decode()
    assert NEVER in page


@pytest.mark.parametrize("path", ["/help/", "/reset/"])
def test_the_chats_greeting_says_it(path):
    agent_presence_beat(agent_id=AgentFactory().pk)  # someone is online: the chat is offered
    page = Client().get(path).content.decode()
    greeting = page[page.index('id="chat-panel"') :]
    assert NEVER in greeting[: greeting.index('id="chat-start"')]


def test_the_agents_canned_answers_say_it(settings):
    assert any(NEVER in answer for answer in settings.CHAT_CANNED_ANSWERS)
