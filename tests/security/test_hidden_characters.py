"""Names others typed are isolated where they are listed, so that a text-direction override
cannot reorder the page around them (security.md, section 9).

New names with such characters are refused (core.hidden_characters); rows written before that
check, or by a path that does not check, are still shown inside <bdi>, whose text cannot move
what surrounds it.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AccountFactory, DeviceFactory, UserFactory, second_factor_session
from chat.tests.factories import ChatFactory
from forums.models import Category, ForumProfile
from forums.services import posting
from resets.tests.factories import pending_reset
from support.permissions import console_groups_ensure
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

# "Dana's phone" followed by an override that would flip the rest of its line.
SPOOF = "Dana's phone \u202e(support)"
ISOLATED = "<bdi>Dana&#x27;s phone \u202e(support)</bdi>"


@pytest.fixture
def agent():
    user = UserFactory(email="agent@staff.example", is_staff=True, second_factor=True)
    user.groups.add(console_groups_ensure()["agent"])
    client = Client()
    client.force_login(user)
    second_factor_session(client, user)
    return client


def test_the_reset_link_page_isolates_each_device_name(client):
    account = AccountFactory()
    DeviceFactory(account=account, name=SPOOF)
    _, token, _ = pending_reset(account)
    client.get(reverse("resets:link_token", args=[token]))
    assert ISOLATED in client.get(reverse("resets:link")).content.decode()


def test_the_account_page_isolates_each_device_name(client):
    account = AccountFactory()
    DeviceFactory(account=account, name=SPOOF)
    client.force_login(account.user)
    html = client.get(reverse("accounts:home")).content.decode()
    assert html.count(ISOLATED) == 2  # the cell, and the sign-out button's hidden label


def test_the_console_isolates_device_names_and_ticket_subjects(agent):
    account = AccountFactory()
    DeviceFactory(account=account, name=SPOOF)
    ticket = TicketFactory(email=account.user.email, account=account, subject=SPOOF)
    assert (
        agent.get(reverse("support:account", args=[account.account_id])).content.decode().count(ISOLATED) == 2
    )
    assert ISOLATED in agent.get(reverse("support:tickets")).content.decode()
    assert ISOLATED in agent.get(reverse("support:ticket", args=[ticket.pk])).content.decode()


def test_the_customers_requests_isolate_the_subject():
    account = AccountFactory()
    ticket = TicketFactory(email=account.user.email, account=account, subject=SPOOF)
    client = Client()
    client.force_login(account.user)
    assert ISOLATED in client.get(reverse("help:my_requests")).content.decode()
    assert ISOLATED in client.get(reverse("help:ticket", args=[ticket.pk])).content.decode()


def test_the_forum_list_isolates_each_title(client):
    author = AccountFactory().user
    ForumProfile.objects.create(user=author, display_name="dana", approved_posts=5)
    category = Category.objects.get(slug="sync-and-devices")
    posting.topic_create(author=author, category=category, title=SPOOF, body="Since Monday.")
    assert ISOLATED in client.get(reverse("forums:category", args=[category.slug])).content.decode()


def test_the_chat_transcript_isolates_the_customers_name(agent):
    chat = ChatFactory(name=SPOOF)
    assert ISOLATED in agent.get(f"/support/chat/{chat.public_id}/").content.decode()
