import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AccountFactory
from forums.models import Follow, ForumProfile, Topic
from forums.services import moderation, posting
from forums.tokens import unsubscribe_token
from support.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(member, category):
    return posting.topic_create(
        author=member, category=category, title="Sync stops after the update", body="Since yesterday."
    )


def test_privacy_warning_then_confirmation(member, category, client_for):
    client = client_for(member)
    data = {"category": category.pk, "title": "Cannot sign in on my laptop", "body": "My ID is ABCD2345XY."}
    response = client.post(reverse("forums:topic_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "looks like an account ID" in page and "I have checked" in page
    assert not Topic.objects.exists()
    assert client.post(reverse("forums:topic_new"), {**data, "confirm_private": "on"}).status_code == 302
    assert Topic.objects.count() == 1


def test_a_title_with_hidden_characters_is_refused_with_a_message(member, category, client_for):
    """Titles are listed to every visitor: a text-direction override would reorder the list row."""
    data = {
        "category": category.pk,
        "title": "Sync stops \u202e(solved)\u202c after update",
        "body": "Since Monday.",
    }
    response = client_for(member).post(reverse("forums:topic_new"), data)
    assert response.status_code == 200
    assert "The title holds invisible formatting characters" in response.content.decode()
    assert not Topic.objects.exists()


def test_posts_and_flag_notes_lose_the_controls_that_reorder_text(member, other_member, topic, client_for):
    client_for(member).post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "Try \u2066this\u2069:\r\n\u202eetadpu"}
    )
    reply = topic.posts.get(is_first=False)
    assert reply.body == "Try this:\netadpu" and "\u202e" not in reply.body_html
    client_for(other_member).post(
        reverse("forums:post_flag", args=[reply.pk]), {"reason": "spam", "note": "a\u202db"}
    )
    assert reply.flags.get().note == "ab"


def test_a_suspension_reason_with_hidden_characters_is_refused(member, agent, topic, client_for):
    post = topic.posts.get()
    response = client_for(agent).post(
        reverse("forums:member_suspend", args=[post.pk]),
        {"days": "7", "reason": "spam \u202eagain"},
        follow=True,
    )
    assert "The reason holds invisible formatting characters" in response.content.decode()
    member.forum_profile.refresh_from_db()
    assert not member.forum_profile.is_suspended()


def test_qr_payload_is_refused(member, topic, client_for):
    response = client_for(member).post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": "vaultkey:Zm9vYmFy", "confirm_private": "on"}
    )
    assert response.status_code == 400 and "QR code" in response.content.decode()
    assert topic.posts.count() == 1


def test_reply_rate_limit_has_a_clear_page(member, topic, client_for, settings):
    settings.FORUMS_RATE_POSTS = "2/h"
    client = client_for(member)
    url = reverse("forums:topic_reply", args=[topic.pk])
    assert [client.post(url, {"body": f"Reply number {n}"}).status_code for n in range(3)] == [302, 302, 429]
    assert "Slow down" in client.post(url, {"body": "again"}).content.decode()


def test_reply_redirects_to_the_last_page(member, topic, client_for, settings):
    settings.FORUMS_POSTS_PER_PAGE = 2
    client = client_for(member)
    for n in range(3):
        response = client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": f"Reply {n}"})
    page = client.get(response["Location"]).content.decode()
    assert "Reply 2" in page and "Page 2 of 2" in page


def test_suggestions_offer_articles_and_solved_topics(member, agent, topic, client):
    ArticleFactory(title="Fix sync after an update", slug="fix-sync")
    reply = posting.post_create(author=agent, topic=topic, body="Update again.")
    posting.answer_accept(topic=topic, post=reply, actor=member)
    data = json.loads(client.get(reverse("forums:suggest"), {"q": "sync stopped"}).content)
    assert reverse("help:article", args=["fix-sync"]) in [a["url"] for a in data["articles"]]
    assert [t["title"] for t in data["topics"]] == ["Sync stops after the update"]


def test_search_finds_titles_and_post_text(member, topic, client):
    posting.topic_create(
        author=member, category=topic.category, title="Another question here", body="Nothing"
    )
    page = client.get(reverse("forums:search"), {"q": "yesterday"}).content.decode()
    assert "Sync stops after the update" in page and "Another question" not in page
    assert client.get(reverse("forums:search"), {"q": "x" * 500}).status_code == 400


def test_one_click_unsubscribe_without_csrf(member, topic):
    follow = Follow.objects.get(user=member, topic=topic)
    url = reverse("forums:unsubscribe", args=[unsubscribe_token(follow.pk)])
    client = Client(enforce_csrf_checks=True)
    assert "Stop these e-mails" in client.get(url).content.decode()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert client.post(url).status_code == 200  # twice is fine
    assert client.get(reverse("forums:unsubscribe", args=["forged"])).status_code == 404


def test_follow_toggles(other_member, topic, client_for):
    client = client_for(other_member)
    client.post(reverse("forums:topic_follow", args=[topic.pk]), {"following": "1"})
    assert Follow.objects.filter(user=other_member, topic=topic).exists()
    client.post(reverse("forums:topic_follow", args=[topic.pk]), {"following": "0"})
    assert not Follow.objects.filter(user=other_member, topic=topic).exists()
    client.post(reverse("forums:category_follow", args=[topic.category.slug]), {"following": "1"})
    assert Follow.objects.filter(user=other_member, category=topic.category).exists()


def test_flag_goes_to_the_queue(other_member, agent, topic, client_for):
    post = topic.posts.get()
    response = client_for(other_member).post(
        reverse("forums:post_flag", args=[post.pk]), {"reason": "spam", "note": "ads"}
    )
    assert response.status_code == 200 and "moderators will look" in response.content.decode()
    queue = client_for(agent).get(reverse("forums:moderation")).content.decode()
    assert "Spam or advertising" in queue and "ads" in queue


def test_staff_move_a_thread_into_a_ticket(agent, topic, client_for):
    response = client_for(agent).post(reverse("forums:topic_moderate", args=[topic.pk]), {"action": "ticket"})
    assert response.status_code == 302 and "/support/tickets/" in response["Location"]
    assert client_for().get(reverse("forums:topic", args=[topic.pk])).status_code == 404


def test_public_names_only(member, agent, topic, client_for):
    posting.post_create(author=agent, topic=topic, body="Update the app.")
    page = client_for().get(reverse("forums:topic", args=[topic.pk])).content.decode()
    assert "<strong>asker</strong>" in page and "Vault team" in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert member.account.account_id not in page


def test_profile_rename(member, other_member, client_for):
    client = client_for(member)
    assert client.post(reverse("forums:profile"), {"display_name": "sync-fan"}).status_code == 302
    member.forum_profile.refresh_from_db()
    assert member.forum_profile.display_name == "sync-fan"
    response = client_for(other_member).post(reverse("forums:profile"), {"display_name": "Sync-Fan"})
    assert "already uses" in response.content.decode()
    response = client.post(reverse("forums:profile"), {"display_name": "VaultTeamLead"})
    assert "kept for the Vault team" in response.content.decode()


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/forums/t/999999/"),
        ("get", "/forums/c/nope/"),
        ("get", "/forums/t/1/?page=abc"),
        ("get", "/forums/t/1/?page=-3"),
        ("get", "/forums/posts/999/history/"),
        ("get", "/forums/suggest/?q=" + "a" * 5000),
        ("post", "/forums/t/1/accept/"),
        ("post", "/forums/t/1/reply/"),
        ("get", "/forums/t/1/reply/"),
        ("post", "/forums/new/"),
        ("get", "/forums/unsubscribe/%00/"),
    ],
)
def test_bad_input_never_answers_500(method, url, member, topic, client_for):
    client = client_for(member)
    client.raise_request_exception = False
    response = getattr(client, method)(url.replace("/t/1/", f"/t/{topic.pk}/"))
    assert response.status_code < 500


def test_suggestions_have_their_own_rate_limit(client, settings):
    settings.FORUMS_RATE_SUGGEST_PER_IP = "2/m"
    codes = [client.get(reverse("forums:suggest"), {"q": "sync"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert json.loads(client.get(reverse("forums:suggest")).content)["error"] == "rate_limited"


def test_periodic_tasks_are_scheduled_beside_the_outbox_flush(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "mailer.tasks.outbox_flush",
        "forums.tasks.digests_send",
        "forums.tasks.solved_topics_close",
    } <= tasks


def test_post_links_open_the_page_that_holds_the_post(member, agent, topic, client_for, settings):
    settings.FORUMS_POSTS_PER_PAGE = 2
    replies = [posting.post_create(author=agent, topic=topic, body=f"Answer {n}") for n in range(3)]
    client = client_for()
    location = client.get(reverse("forums:post", args=[replies[2].pk]))["Location"]
    assert location == f"/forums/t/{topic.pk}/?page=2#post-{replies[2].pk}"
    assert "Answer 2" in client.get(location).content.decode()
    assert client.get(reverse("forums:post", args=[replies[0].pk]))["Location"].endswith(
        f"?page=1#post-{replies[0].pk}"
    )


def test_empty_forum_forms_say_what_each_field_needs(member, other_member, topic, client_for):
    client = client_for(member)
    new = client.post(reverse("forums:topic_new"), {"category": topic.category.pk}).content.decode()
    assert "Give your question a title." in new and "Write your message." in new
    short = client.post(
        reverse("forums:topic_new"), {"category": topic.category.pk, "title": "Hi", "body": "?"}
    ).content.decode()
    assert "Make the title a little longer" in short and "Write a little more" in short
    flag_url = reverse("forums:post_flag", args=[topic.posts.get().pk])
    flag = client_for(other_member).post(flag_url, {}).content.decode()
    assert "Choose why you are telling the moderators about this post." in flag
    for html in (new, short, flag):
        assert "This field is required" not in html and "Ensure this value" not in html


@pytest.mark.parametrize("value", ["abc", " ", "1.5", "\u0661", "[]"])
def test_accepting_a_post_that_is_not_a_number_is_a_404_not_a_500(value, member, topic, client_for):
    """Found by posting each form field with other types: the id went to the database as it came."""
    client = client_for(member)
    client.raise_request_exception = False
    response = client.post(reverse("forums:answer_accept", args=[topic.pk]), {"post": value})
    assert response.status_code == 404
    topic.refresh_from_db()
    assert topic.accepted_post is None


def test_a_held_reply_stays_hidden_on_its_link_and_history_pages(
    member, new_member, agent, topic, client_for
):
    """A new member's reply waits for a moderator: only its author and staff read it, on every page."""
    held = posting.post_create(author=new_member, topic=topic, body="Call 555-0100 for a refund, cheap")
    assert held.visibility == "held"
    for reader in (None, member):
        client = client_for(reader)
        assert client.get(reverse("forums:post_history", args=[held.pk])).status_code == 404
        assert client.get(reverse("forums:post", args=[held.pk])).status_code == 404
        assert "555-0100" not in client.get(reverse("forums:topic", args=[topic.pk])).content.decode()
    for reader in (new_member, agent):
        response = client_for(reader).get(reverse("forums:post_history", args=[held.pk]))
        assert response.status_code == 200 and "555-0100" in response.content.decode()
        assert client_for(reader).get(reverse("forums:post", args=[held.pk])).status_code == 302


def _members(n: int, *, trusted: bool = True) -> list:
    """`n` verified members with public names (trusted: their posts are published at once)."""
    users = [AccountFactory().user for _ in range(n)]
    for user in users:
        ForumProfile.objects.create(
            user=user, display_name=f"member-{user.pk}", approved_posts=5 if trusted else 0
        )
    return users


def _held_flagged_and_logged(category, agent, n: int) -> None:
    """`n` held first posts of new members, `n` flagged posts and `n` moderation log lines."""
    for newbie, asker, reporter in zip(_members(n, trusted=False), _members(n), _members(n), strict=True):
        posting.topic_create(
            author=newbie, category=category, title=f"Held question {newbie.pk}", body="Held."
        )
        topic = posting.topic_create(
            author=asker, category=category, title=f"Flagged {asker.pk}", body="Ads."
        )
        posting.flag_create(post=topic.posts.get(), reporter=reporter, reason="spam", note="ads")
        moderation.topic_pin_set(topic=topic, actor=agent, pinned=True)


def test_the_moderation_queues_show_the_oldest_posts_and_say_how_many_wait(
    category, agent, client_for, settings
):
    settings.FORUMS_MODERATION_QUEUE_SHOWN = 2
    _held_flagged_and_logged(category, agent, 3)
    held = list(Topic.objects.filter(title__startswith="Held").order_by("pk"))
    flagged = list(Topic.objects.filter(title__startswith="Flagged").order_by("pk"))

    page = client_for(agent).get(reverse("forums:moderation")).content.decode()

    assert "Held posts of new members (3)" in page and "Flagged posts (3)" in page
    assert page.count("The oldest 2 are shown.") == 2
    queues = page.split('id="log-h"')[0]
    for topic in held[:2] + flagged[:2]:
        assert topic.title in queues
    assert held[2].title not in queues and flagged[2].title not in queues


def test_the_moderation_log_is_cut_into_pages(category, agent, client_for, settings):
    settings.FORUMS_MODERATION_LOG_PER_PAGE = 2
    _held_flagged_and_logged(category, agent, 3)
    oldest, middle, newest = Topic.objects.filter(title__startswith="Flagged").order_by("pk")
    client = client_for(agent)

    log = client.get(reverse("forums:moderation")).content.decode().split('id="log-h"')[1]
    assert newest.title in log and middle.title in log and oldest.title not in log
    assert 'href="?page=2" rel="next"' in log
    log = client.get(reverse("forums:moderation"), {"page": 2}).content.decode().split('id="log-h"')[1]
    assert oldest.title in log and newest.title not in log


def test_the_moderation_page_costs_the_same_queries_with_1_or_30_posts_in_each_queue(
    category, agent, client_for, page_queries
):
    client = client_for(agent)
    _held_flagged_and_logged(category, agent, 1)
    small = page_queries(client, reverse("forums:moderation"))
    _held_flagged_and_logged(category, agent, 29)
    assert page_queries(client, reverse("forums:moderation")) == small


def _topics_with_replies(category, n: int) -> None:
    """`n` topics, each asked and answered by members of its own."""
    for asker, helper in zip(_members(n), _members(n), strict=True):
        topic = posting.topic_create(
            author=asker, category=category, title=f"Sync question {asker.pk}", body="?"
        )
        posting.post_create(author=helper, topic=topic, body="Sync again.")


@pytest.mark.parametrize("page", ["home", "category", "search"])
def test_topic_lists_cost_the_same_queries_with_1_or_30_topics(page, category, client_for, page_queries):
    url, data = {
        "home": (reverse("forums:home"), None),
        "category": (reverse("forums:category", args=[category.slug]), None),
        "search": (reverse("forums:search"), {"q": "sync"}),
    }[page]
    client = client_for()
    _topics_with_replies(category, 1)
    small = page_queries(client, url, data)
    _topics_with_replies(category, 29)
    assert page_queries(client, url, data) == small


@pytest.mark.parametrize("viewer", ["asker", "moderator"])
def test_a_topic_costs_the_same_queries_with_1_or_30_replies_by_different_members(
    viewer, member, agent, topic, client_for, page_queries
):
    client = client_for(member if viewer == "asker" else agent)
    url = reverse("forums:topic", args=[topic.pk])

    def replies(n):
        for helper in _members(n):
            posting.post_create(author=helper, topic=topic, body="Try signing out and in again.")

    replies(1)
    small = page_queries(client, url)
    replies(29)
    assert page_queries(client, url) == small
    assert page_queries(client, url, {"page": "last"}) == small


def test_what_a_member_follows_is_cut_into_pages_newest_first(member, category, client_for, settings):
    settings.FORUMS_TOPICS_PER_PAGE = 2
    first, second, third = (
        posting.topic_create(author=member, category=category, title=f"Followed question {n}", body="?")
        for n in range(3)
    )
    client = client_for(member)
    page = client.get(reverse("forums:profile")).content.decode()
    assert third.title in page and second.title in page and first.title not in page
    assert 'href="?page=2" rel="next"' in page
    assert first.title in client.get(reverse("forums:profile"), {"page": 2}).content.decode()


def test_the_profile_costs_the_same_queries_following_1_or_30_topics(
    member, category, client_for, page_queries
):
    def follow(n):
        for asker in _members(n):
            topic = posting.topic_create(
                author=asker, category=category, title=f"Question {asker.pk}", body="?"
            )
            posting.follow_set(user=member, topic=topic, following=True)

    client = client_for(member)
    follow(1)
    small = page_queries(client, reverse("forums:profile"))
    follow(29)
    assert page_queries(client, reverse("forums:profile")) == small


def test_an_edit_history_costs_the_same_queries_with_1_or_30_revisions(
    member, agent, topic, client_for, page_queries
):
    post = topic.posts.get()
    url = reverse("forums:post_history", args=[post.pk])

    def edits(n):
        for number in range(n):
            posting.post_edit(post=post, editor=agent if number % 2 else member, body=f"Edited {number}")

    client = client_for(member)
    edits(1)
    small = page_queries(client, url)
    edits(29)
    assert page_queries(client, url) == small
