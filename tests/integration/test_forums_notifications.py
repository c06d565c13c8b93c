"""Forum e-mails through the real worker and a real SMTP server: reply, digest, one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import AccountFactory, UserFactory
from forums.models import Category, Follow, ForumProfile
from forums.services import notify, posting
from mailer.models import OutboundEmail
from support.permissions import console_groups_ensure
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _member(email, name):
    user = AccountFactory(user__email=email).user
    ForumProfile.objects.create(user=user, display_name=name, approved_posts=3)
    return user


def test_follower_gets_the_answer_then_a_digest_and_unsubscribes_in_one_click(celery_worker, smtp_server):
    category, _ = Category.objects.get_or_create(
        slug="sync-and-devices", defaults={"name": "Sync and devices"}
    )
    asker = _member("asker@example.com", "asker")
    follower = _member("follower@example.com", "watcher")
    agent = UserFactory(email="agent@staff.example", is_staff=True, second_factor=True)
    agent.groups.add(console_groups_ensure()["agent"])

    topic = posting.topic_create(
        author=asker, category=category, title="Sync stops after the update", body="Since yesterday."
    )
    posting.follow_set(user=follower, topic=topic, following=True)
    answer = posting.post_create(author=agent, topic=topic, body="Update to **4.2** <script>x</script>")

    [message] = smtp_server.wait_for_messages(1, to="follower@example.com")
    assert message["Subject"] == "[Vault forums] Re: Sync stops after the update"
    unsubscribe = re.search(
        r"<(http://127\.0\.0\.1:8000(/forums/unsubscribe/[^/]+/))>", message["List-Unsubscribe"]
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "(Vault team)" in text and unsubscribe.group(1) in text
    assert "<strong>4.2</strong>" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert "agent@staff.example" not in text + html and f"/forums/posts/{answer.pk}/" in text
    wait_for(
        lambda: OutboundEmail.objects.filter(
            kind="forums.post", to="follower@example.com", status="sent"
        ).exists(),
        message="the e-mail marked sent",
    )

    # Two more answers inside the window: no e-mail each, one digest when the window ends.
    posting.post_create(author=agent, topic=topic, body="Second note")
    posting.post_create(author=agent, topic=topic, body="Third note")
    assert notify.digests_send(now=timezone.now() + timedelta(hours=2)) >= 1
    digests = smtp_server.wait_for_messages(2, to="follower@example.com")
    assert digests[1]["Subject"] == "[Vault forums] 2 new posts in Sync stops after the update"
    digest_text = digests[1].get_body(preferencelist=("plain",)).get_content()
    assert "Second note" in digest_text and "Third note" in digest_text

    # The mail client's one-click POST (RFC 8058): no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(unsubscribe.group(2), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.filter(user=follower, topic=topic).exists()
