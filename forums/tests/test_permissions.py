"""Who may do what, per role: visitors read; verified members post; suspended members read; staff moderate."""

import pytest
from django.urls import reverse

from forums.models import ForumEvent, Topic, Visibility
from forums.services import moderation, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(member, category):
    return posting.topic_create(
        author=member, category=category, title="Sync stops after the update", body="Since yesterday."
    )


def _new_topic(client, category, title="Where is the export button?"):
    return client.post(
        reverse("forums:topic_new"), {"category": category.pk, "title": title, "body": "I cannot find it."}
    )


ROLES = ["anonymous", "unverified", "member", "new_member", "staff_without_group", "agent", "supervisor"]


@pytest.fixture
def as_role(request, client_for):
    def make(role):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return user, client_for(user)

    return make


@pytest.mark.parametrize("role", ROLES)
def test_everybody_reads(role, as_role, topic):
    _, client = as_role(role)
    for url in (
        reverse("forums:home"),
        reverse("forums:category", args=[topic.category.slug]),
        reverse("forums:topic", args=[topic.pk]),
        reverse("forums:search") + "?q=sync",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"asker@example.com" not in response.content


@pytest.mark.parametrize(
    "role, outcome",
    [
        ("anonymous", "login"),
        ("unverified", "refused"),
        ("staff_without_group", "refused"),
        ("member", "published"),
        ("new_member", "held"),
        ("agent", "published"),
        ("supervisor", "published"),
    ],
)
def test_who_may_open_a_topic(role, outcome, as_role, category):
    _, client = as_role(role)
    response = _new_topic(client, category)
    topic = Topic.objects.first()
    if outcome == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert topic is None
    elif outcome == "refused":
        assert response.status_code == 403 and topic is None
        assert b"You can&#x27;t do that here" in response.content
    else:
        assert response.status_code == 302
        assert topic.visibility == (Visibility.HELD if outcome == "held" else Visibility.VISIBLE)


def test_suspended_member_reads_but_cannot_post(member, agent, topic, client_for):
    moderation.member_suspend(member=member, actor=agent, days=3, reason="cool down")
    client = client_for(member)
    assert client.get(reverse("forums:topic", args=[topic.pk])).status_code == 200
    response = client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": "Hello again"})
    assert response.status_code == 403 and b"suspended" in response.content
    assert topic.posts.count() == 1


def test_only_members_post_in_announcements(member, agent, announcements, client_for):
    assert _new_topic(client_for(member), announcements).status_code == 200  # not offered: form error
    assert not Topic.objects.exists()
    assert _new_topic(client_for(agent), announcements).status_code == 302


def test_held_topic_is_seen_only_by_its_author_and_staff(
    new_member, other_member, agent, category, client_for
):
    topic = posting.topic_create(
        author=new_member, category=category, title="A new member asks", body="Hi all"
    )
    url = reverse("forums:topic", args=[topic.pk])
    assert client_for(new_member).get(url).status_code == 200
    assert client_for(agent).get(url).status_code == 200
    assert client_for(other_member).get(url).status_code == 404
    assert client_for().get(url).status_code == 404
    assert b"A new member asks" not in client_for().get(reverse("forums:home")).content


@pytest.mark.parametrize(
    "role, allowed",
    [("anonymous", False), ("other_member", False), ("member", True), ("agent", True), ("supervisor", True)],
)
def test_who_may_accept_an_answer(role, allowed, as_role, topic, agent):
    reply = posting.post_create(author=agent, topic=topic, body="Try this.")
    _, client = as_role(role)
    response = client.post(reverse("forums:answer_accept", args=[topic.pk]), {"post": reply.pk})
    topic.refresh_from_db()
    assert topic.is_solved is allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role", ["anonymous", "member", "unverified", "staff_without_group"])
def test_moderation_is_a_404_for_non_staff(role, as_role, topic):
    _, client = as_role(role)
    post = topic.posts.get()
    assert client.get(reverse("forums:moderation")).status_code == 404
    assert (
        client.post(reverse("forums:topic_moderate", args=[topic.pk]), {"action": "lock"}).status_code == 404
    )
    assert client.post(reverse("forums:post_moderate", args=[post.pk]), {"action": "hide"}).status_code == 404
    topic.refresh_from_db()
    assert not topic.is_locked and not ForumEvent.objects.exists()


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_staff_moderate_and_every_action_is_audited(role, as_role, topic, category):
    user, client = as_role(role)
    assert client.get(reverse("forums:moderation")).status_code == 200
    for action in ("lock", "pin", "hide", "show", "unlock", "unpin"):
        assert (
            client.post(reverse("forums:topic_moderate", args=[topic.pk]), {"action": action}).status_code
            == 302
        )
    events = ForumEvent.objects.filter(actor=user)
    assert events.count() == 6 and all(event.ip == "127.0.0.1" for event in events)
    page = client.get(reverse("forums:moderation")).content.decode()
    assert "Topic locked" in page and "Topic pinned" in page


def test_edit_only_own_posts(member, other_member, agent, topic, client_for):
    post = topic.posts.get()
    url = reverse("forums:post_edit", args=[post.pk])
    assert client_for(other_member).post(url, {"body": "vandalised"}).status_code == 403
    assert client_for(member).post(url, {"body": "Clarified: since yesterday."}).status_code == 302
    assert client_for(agent).post(url, {"body": "Tidied by staff."}).status_code == 302
    history = client_for().get(reverse("forums:post_history", args=[post.pk])).content.decode()
    assert "Clarified" in history and "Since yesterday." in history


def test_moderation_returns_to_our_own_pages_only(agent, topic, client_for):
    client = client_for(agent)
    post = topic.posts.get()
    url = reverse("forums:post_moderate", args=[post.pk])
    here = reverse("forums:topic", args=[topic.pk])
    assert client.post(url, {"action": "hide", "next": here})["Location"] == here
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(url, {"action": "show", "next": evil})
        assert response["Location"] == reverse("forums:moderation"), evil


def test_suspend_from_the_topic_page(member, agent, topic, client_for):
    post = topic.posts.get()
    here = reverse("forums:topic", args=[topic.pk])
    response = client_for(agent).post(
        reverse("forums:member_suspend", args=[post.pk]), {"days": "7", "next": here}
    )
    assert response["Location"] == here
    member.forum_profile.refresh_from_db()
    assert member.forum_profile.is_suspended()
    assert ForumEvent.objects.get(action="member_suspended").member == member
